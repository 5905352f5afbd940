// Command tlog-client audits this project's log through its C2SP tlog-tiles API with standard
// Go libraries only: golang.org/x/mod/sumdb/note verifies the checkpoint's signature,
// filippo.io/torchwood's tile client fetches every entry bundle and authenticates each entry
// against the checkpoint through the hash tiles (golang.org/x/mod/sumdb/tlog), and tlog
// recomputes the root from the tiles. test/log-tiles.test.ts runs it with `go run`.
//
//	go run . <log URL, e.g. http://127.0.0.1:3000/log/> <the log's note verifier key>
//
// It prints one JSON object: the checkpoint it verified and the SHA-256 of every entry, in order.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"filippo.io/torchwood"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type result struct {
	Origin   string   `json:"origin"`
	TreeSize int64    `json:"treeSize"`
	RootHash string   `json:"rootHash"`
	Entries  []string `json:"entries"`
}

func main() {
	if len(os.Args) != 3 {
		fail("usage: tlog-client <log URL> <verifier key>")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	verifier, err := note.NewVerifier(os.Args[2])
	check("verifier key", err)
	fetcher, err := torchwood.NewTileFetcher(os.Args[1])
	check("tile fetcher", err)

	signed, err := fetcher.ReadEndpoint(ctx, "checkpoint")
	check("checkpoint", err)
	n, err := note.Open(signed, note.VerifierList(verifier))
	check("checkpoint signature", err)
	checkpoint, err := torchwood.ParseCheckpoint(n.Text)
	check("checkpoint text", err)
	if checkpoint.Origin != verifier.Name() {
		fail(fmt.Sprintf("origin %q is not the key's name %q", checkpoint.Origin, verifier.Name()))
	}
	tree := checkpoint.Tree

	// The root from the tiles alone; the reader checks every tile it reads against the tree's hash.
	root, err := tlog.TreeHash(tree.N, torchwood.TileHashReaderWithContext(ctx, tree, fetcher))
	check("tree hash from tiles", err)
	if root != tree.Hash {
		fail("the tiles hash to another root than the checkpoint's")
	}

	client, err := torchwood.NewClient(fetcher)
	check("client", err)
	out := result{Origin: checkpoint.Origin, TreeSize: tree.N, RootHash: base64.StdEncoding.EncodeToString(tree.Hash[:])}
	// Entries stops before a trailing partial bundle; asking again from there fetches it.
	for start := int64(0); start < tree.N; {
		before := start
		for i, entry := range client.Entries(ctx, tree, start) {
			if i != start {
				fail(fmt.Sprintf("entry %d came when %d was expected", i, start))
			}
			sum := sha256.Sum256(entry)
			out.Entries = append(out.Entries, hex.EncodeToString(sum[:]))
			start++
		}
		check("entries", client.Err())
		if start == before {
			fail(fmt.Sprintf("no progress at entry %d of %d", start, tree.N))
		}
	}
	check("output", json.NewEncoder(os.Stdout).Encode(out))
}

func check(what string, err error) {
	if err != nil {
		fail(fmt.Sprintf("%s: %v", what, err))
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "tlog-client:", message)
	os.Exit(1)
}
