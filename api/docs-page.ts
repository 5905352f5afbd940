/**
 * /docs: the OpenAPI document rendered as one self-contained HTML page (no scripts, no
 * CDN), readable offline and safe: every value is escaped.
 */
type Json = Record<string, unknown>;

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function schemaText(schema: unknown, components: Json): string {
  const resolve = (value: unknown, depth: number): unknown => {
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => resolve(v, depth + 1));
    const ref = (value as Json).$ref;
    if (typeof ref === 'string') {
      const name = ref.split('/').pop()!;
      return depth > 2 ? `→ ${name}` : resolve((components.schemas as Json | undefined)?.[name], depth + 1);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, depth + 1)]));
  };
  return JSON.stringify(resolve(schema, 0), null, 2);
}

export function renderDocsPage(doc: Json): string {
  const info = doc.info as Json;
  const components = (doc.components ?? {}) as Json;
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(methods as Json)) {
      const o = op as Json;
      const params = ((o.parameters as Json[] | undefined) ?? [])
        .map(
          (p) =>
            `<li><code>${escape(String(p.name))}</code> (${escape(String(p.in))})${p.required ? ' required' : ''}</li>`,
        )
        .join('');
      const body = ((o.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as
        Json | undefined;
      const responses = Object.entries((o.responses ?? {}) as Json)
        .map(([code, r]) => `<li><b>${escape(code)}</b> ${escape(String((r as Json).description ?? ''))}</li>`)
        .join('');
      sections.push(`<section id="${escape(`${method}-${path}`)}">
<h3><span class="m ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h3>
<p><b>${escape(String(o.summary ?? ''))}</b>${o.security ? ' · bearer token' : ' · public'}</p>
${o.description ? `<p>${escape(String(o.description))}</p>` : ''}
${params ? `<p>Parameters:</p><ul>${params}</ul>` : ''}
${body ? `<details><summary>Request body</summary><pre>${escape(schemaText(body.schema, components))}</pre></details>` : ''}
<p>Responses:</p><ul>${responses}</ul>
</section>`);
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(String(info.title))}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#222}
section{border-top:1px solid #ddd;padding:.5rem 0}code,pre{font-family:ui-monospace,monospace}pre{background:#f6f8fa;padding:.75rem;overflow:auto}
.m{display:inline-block;min-width:3.5rem;text-align:center;border-radius:4px;color:#fff;font-size:13px}.get{background:#2b7a3d}.post{background:#1f5fa8}</style>
</head><body><h1>${escape(String(info.title))} <small>${escape(String(info.version))}</small></h1>
<p>${escape(String(info.description ?? ''))}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escape(String(doc.openapi))}).</p>
${sections.join('\n')}
</body></html>`;
}
