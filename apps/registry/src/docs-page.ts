interface Operation {
  summary?: string
  security?: unknown[]
  parameters?: { name: string; in: string; required?: boolean }[]
  requestBody?: { content?: Record<string, unknown> }
  responses?: Record<string, { description?: string }>
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * A self-contained HTML page describing every operation of the OpenAPI document: no script and no
 * CDN, so it works on an air-gapped registry. The machine-readable document is at /-/openapi.json.
 */
export function renderDocsPage(document: Record<string, unknown>): string {
  const info = document.info as { title: string; version: string; description?: string }
  const paths = document.paths as Record<string, Record<string, Operation>>
  const rows: string[] = []
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = (operation.parameters ?? [])
        .map(
          (p) =>
            `<code>${escape(p.name)}</code> (${escape(p.in)}${p.required ? ', required' : ''})`,
        )
        .join(', ')
      const body = Object.keys(operation.requestBody?.content ?? {}).join(', ')
      const responses = Object.entries(operation.responses ?? {})
        .map(
          ([status, response]) => `<b>${escape(status)}</b> ${escape(response.description ?? '')}`,
        )
        .join('<br>')
      rows.push(
        `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escape(path)}</code>${
          operation.security ? ' 🔑' : ''
        }</td><td>${escape(operation.summary ?? '')}${parameters ? `<br><small>${parameters}</small>` : ''}${
          body ? `<br><small>body: ${escape(body)}</small>` : ''
        }</td><td><small>${responses}</small></td></tr>`,
      )
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(info.title)} — API</title>
<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem;max-width:72rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left;vertical-align:top}code{font-size:.92em}</style></head>
<body><h1>${escape(info.title)} <small>${escape(info.version)}</small></h1>
<p>${escape(info.description ?? '')} The OpenAPI 3.1 document: <a href="/-/openapi.json">/-/openapi.json</a>.
🔑 = needs <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<table><thead><tr><th>method</th><th>path</th><th>what</th><th>responses</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></body></html>`
}
