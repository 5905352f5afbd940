/** Evidence as people see it: notes and values as text, files fetched with the session's token. */
import { useEffect, useState } from 'preact/hooks';
import type { Schemas } from '../../client';
import { api } from './session';
import { must, When } from './ui';

/** Raster images are shown; anything else (an SVG, a PDF, HTML) is only ever offered as a download. */
const SHOWN = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

function useFileUrl(sha256: string | undefined): { url: string | null; type: string | null; error: string | null } {
  const [state, setState] = useState<{ url: string | null; type: string | null; error: string | null }>({
    url: null,
    type: null,
    error: null,
  });
  useEffect(() => {
    if (!sha256) return;
    let url: string | null = null;
    let live = true;
    must(api.GET('/v1/evidence-files/{sha256}', { params: { path: { sha256 } }, parseAs: 'blob' }))
      .then((blob) => {
        const file = blob as unknown as Blob;
        url = URL.createObjectURL(file);
        if (live) setState({ url, type: file.type, error: null });
      })
      .catch((error: Error) => live && setState({ url: null, type: null, error: error.message }));
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [sha256]);
  return state;
}

export function EvidenceFile({ sha256, description }: { sha256: string; description?: string }) {
  const file = useFileUrl(sha256);
  if (file.error) return <span class="muted">file not readable here: {file.error}</span>;
  if (!file.url) return <span class="muted">loading file…</span>;
  if (file.type && SHOWN.has(file.type))
    return (
      <img
        class="evidence-photo"
        src={file.url}
        alt={description ? `Photo: ${description}` : `Photo ${sha256.slice(0, 12)}`}
      />
    );
  return (
    <a href={file.url} download={sha256}>
      Download file ({file.type ?? 'unknown type'})
    </a>
  );
}

export function EvidenceList({ evidence }: { evidence: Schemas['Evidence'][] }) {
  if (evidence.length === 0) return <p class="muted">No evidence yet.</p>;
  return (
    <ul class="evidence" aria-label="Evidence">
      {evidence.map((e) => (
        <li key={e.id}>
          <strong>{e.kind}</strong> {e.description}
          {e.value !== undefined && (
            <span>
              {' '}
              {typeof e.value === 'object' ? JSON.stringify(e.value) : String(e.value)} {e.unit}
            </span>
          )}
          {e.sha256 && (
            <div>
              <EvidenceFile sha256={e.sha256} {...(e.description ? { description: e.description } : {})} />
              <div class="hash">sha256 {e.sha256}</div>
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
