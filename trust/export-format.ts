/**
 * The layout of `npm run export -- --out <dir>`, shared by the exporter and qtm-verify:
 *
 *   manifest.json                   what is in the export (this file's ExportManifest)
 *   jwks.json                       the Signal keys, current and retired (nbf / exp)
 *   log-keys.json                   the checkpoint keys and witnesses (GET /v1/log/keys)
 *   checkpoints/<treeSize>.note     every signed checkpoint with its cosignatures, oldest first
 *   consistency/<from>-<to>.json    consistency proofs between consecutive checkpoints
 *   records/<recordId>.json         each Record's stored canonical bytes, verbatim
 *   proofs/<recordId>.json          its inclusion proof against the latest checkpoint
 *   signals/<recordId>.jws          its ⭐ Signal (completed work only)
 *   files/<sha256>                  the evidence files the Records reference, as the server holds them
 */
export const EXPORT_FORMAT = 'qtm-export/v2';
/** v1: one key signed Signals and checkpoints, and there is no log-keys.json. */
export const EXPORT_FORMATS = ['qtm-export/v1', EXPORT_FORMAT] as const;

export interface ExportManifest {
  format: (typeof EXPORT_FORMATS)[number];
  origin: string;
  exportedAt: string;
  checkpoints: Array<{ treeSize: number; file: string }>;
  consistency: Array<{ from: number; to: number; file: string }>;
  records: Array<{
    id: string;
    sequence: number;
    /** The hash and chain link as stored, checked against the bytes like GET /v1/records/:id/verify does. */
    hash: string;
    prevHash: string | null;
    leafIndex: number | null;
    file: string;
    /** Null while the Record is not yet in a checkpoint. */
    proof: string | null;
    signal: string | null;
    /** The hashes of the evidence files exported with it (absent before files were exported). */
    files?: string[];
  }>;
}

export const exportPaths = {
  manifest: 'manifest.json',
  jwks: 'jwks.json',
  logKeys: 'log-keys.json',
  checkpoint: (treeSize: number) => `checkpoints/${treeSize}.note`,
  consistency: (from: number, to: number) => `consistency/${from}-${to}.json`,
  record: (id: string) => `records/${id}.json`,
  proof: (id: string) => `proofs/${id}.json`,
  signal: (id: string) => `signals/${id}.jws`,
  file: (sha256: string) => `files/${sha256}`,
};
