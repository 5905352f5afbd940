/** Evidence as people see it: notes and values as text, files fetched with the session's token. */
import { useEffect, useState } from 'preact/hooks';
import type { Schemas } from '../../client';
import { api } from './session';
import { must, When, words } from './ui';

/** Raster images are shown; anything else (an SVG, a PDF, HTML) is only ever offered as a download. */
const SHOWN = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const EXTENSIONS: Record<string, string> = { 'application/pdf': 'pdf', 'text/plain': 'txt', 'image/heic': 'heic' };
const typeOf = (blob: Blob) => blob.type.split(';')[0]!.trim().toLowerCase();

/** The file's bytes, fetched with the session's token (an <img> or a link could not send it). */
function useFile(sha256: string): { blob: Blob | null; error: string | null } {
  const [state, setState] = useState<{ blob: Blob | null; error: string | null }>({ blob: null, error: null });
  useEffect(() => {
    let live = true;
    must(api.GET('/v1/evidence-files/{sha256}', { params: { path: { sha256 } }, parseAs: 'blob' }))
      .then((blob) => live && setState({ blob: blob as unknown as Blob, error: null }))
      .catch((error: Error) => live && setState({ blob: null, error: error.message }));
    return () => {
      live = false;
    };
  }, [sha256]);
  return state;
}

/** A blob: URL for an image only, revoked when it is no longer shown. */
function useImageUrl(blob: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob || !SHOWN.has(typeOf(blob))) return;
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [blob]);
  return url;
}

/**
 * Saves the bytes as a file. Never a blob: URL of the server's media type: a page opened from it
 * (HTML, SVG) would run in the console's origin. The bytes are saved as application/octet-stream,
 * which no browser renders, from a URL that exists only for the click.
 */
function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(new Blob([blob], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function EvidenceFile({ sha256, description }: { sha256: string; description?: string }) {
  const file = useFile(sha256);
  const imageUrl = useImageUrl(file.blob);
  if (file.error) return <span class="muted">file not readable here: {file.error}</span>;
  if (!file.blob || (SHOWN.has(typeOf(file.blob)) && !imageUrl)) return <span class="muted">loading file…</span>;
  if (imageUrl)
    return (
      <img
        class="evidence-photo"
        src={imageUrl}
        alt={description ? `Photo: ${description}` : `Photo ${sha256.slice(0, 12)}`}
      />
    );
  const type = typeOf(file.blob);
  const blob = file.blob;
  return (
    <button type="button" onClick={() => download(blob, `${sha256}.${EXTENSIONS[type] ?? 'bin'}`)}>
      Download file ({type || 'unknown type'})
    </button>
  );
}

/** `technical`: with each file's SHA-256 (staff check it; a requester needs the photo, not its hash). */
export function EvidenceList({ evidence, technical = true }: { evidence: Schemas['Evidence'][]; technical?: boolean }) {
  if (evidence.length === 0) return <p class="muted">No evidence yet.</p>;
  return (
    <ul class="evidence" aria-label="Evidence">
      {evidence.map((e) => (
        <li key={e.id}>
          <strong>{e.kind === 'photo' ? 'Photo' : e.kind === 'note' ? 'Note' : words(e.kind)}</strong> {e.description}
          {e.value !== undefined && (
            <span>
              {' '}
              {typeof e.value === 'object' ? JSON.stringify(e.value) : String(e.value)} {e.unit}
            </span>
          )}
          {e.sha256 && (
            <div>
              <EvidenceFile sha256={e.sha256} {...(e.description ? { description: e.description } : {})} />
              {technical && <div class="hash">sha256 {e.sha256}</div>}
            </div>
          )}
          <div class="muted">
            by {e.recordedBy}, <When at={e.recordedAt} />
          </div>
        </li>
      ))}
    </ul>
  );
}
