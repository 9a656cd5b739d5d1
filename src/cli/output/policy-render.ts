/**
 * Text, HTML and SVG renderings of policy verdicts: the `policy explain` trace table and the
 * `policy matrix` grid.
 *
 * @module
 */
import type { FlowExplanation } from '../../policy/explain.js';

/** One cell of a reachability matrix. */
export interface MatrixCell {
  /** The verdict. */
  verdict: 'allow' | 'deny';
  /** What decided it. */
  decidedBy: string;
}

/** A reachability matrix: `cells[i][j]` is the flow from `labels[i]` to `labels[j]`. */
export interface Matrix {
  /** Endpoint labels (`ns/pod`). */
  labels: string[];
  /** Rows by source, columns by destination. */
  cells: MatrixCell[][];
  /** The protocol and port judged. */
  flow: string;
}

/** Colour of allowed cells. */
export const ALLOW_COLOUR = '#2e7d32';
/** Colour of denied cells. */
export const DENY_COLOUR = '#c62828';

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('   ').trimEnd()).join('\n') + '\n';
}

/**
 * The trace of one flow as a table: one row per policy consulted, end of tier and profile, under
 * the verdict lines.
 */
export function renderExplainTable(r: FlowExplanation): string {
  const rows: string[][] = [['ENDPOINT', 'DIRECTION', 'STAGE', 'TIER', 'POLICY', 'RULE', 'ACTION']];
  for (const c of r.trace) {
    for (const t of c.tiers) {
      for (const p of t.policies) {
        const name = `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
        rows.push([c.endpoint, c.direction, c.stage, t.tier, name, p.ruleIndex === undefined ? '-' : String(p.ruleIndex), p.action === 'none' ? 'no match' : p.action + (p.notes ? ' (see notes)' : '')]);
      }
      if (t.outcome === 'end-of-tier-deny' || t.outcome === 'end-of-tier-pass') rows.push([c.endpoint, c.direction, c.stage, t.tier, '(end of tier)', '-', t.outcome === 'end-of-tier-deny' ? 'Deny' : 'Pass']);
    }
    for (const p of c.profiles) rows.push([c.endpoint, c.direction, c.stage, '-', `profile ${p.name}`, p.ruleIndex === undefined ? '-' : String(p.ruleIndex), p.action === 'none' ? 'no match' : p.action]);
    if (c.tiers.length === 0 && c.profiles.length === 0) rows.push([c.endpoint, c.direction, c.stage, '-', '(no policy)', '-', c.outcome === 'continue' ? 'continue' : c.outcome === 'allow' ? 'Allow' : 'Deny']);
    else if (c.outcome === 'deny' && c.reason.startsWith('no ')) rows.push([c.endpoint, c.direction, c.stage, '-', '(default)', '-', 'Deny']);
  }
  const notes = r.trace.flatMap((c) => c.tiers.flatMap((t) => t.policies.flatMap((p) => (p.notes ?? []).map((n) => `  ${p.name}: ${n}`))));
  const head = `VERDICT:     ${r.verdict}\nSTAGED:      ${r.staged.verdict}${r.staged.verdict !== r.verdict ? ` (${r.staged.decidedBy})` : ''}\nDECIDED BY:  ${r.decidedBy}\n\n`;
  return head + table(rows) + (notes.length > 0 ? `\nNOTES:\n${notes.join('\n')}\n` : '');
}

/** The matrix as a text table (`allow`/`deny` per cell). */
export function renderMatrixTable(m: Matrix): string {
  const rows: string[][] = [[`FROM \\ TO (${m.flow})`, ...m.labels]];
  m.labels.forEach((l, i) => rows.push([l, ...(m.cells[i] ?? []).map((c) => c.verdict)]));
  return table(rows);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CELL = 28;
const LABEL = 160;

/**
 * The matrix as a standalone SVG: one square per flow (green allowed, red denied), a `<title>`
 * per square naming what decided it (shown on hover), and a legend.
 */
export function renderMatrixSvg(m: Matrix): string {
  const n = m.labels.length;
  const width = Math.max(LABEL + n * CELL + 20, 520);
  const height = LABEL + n * CELL + 60;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`, `<rect width="100%" height="100%" fill="#ffffff"/>`, `<text x="4" y="16" font-weight="bold">Reachability ${esc(m.flow)} (row = from, column = to)</text>`];
  m.labels.forEach((l, j) => out.push(`<text transform="translate(${LABEL + j * CELL + CELL / 2 + 4},${LABEL - 6}) rotate(-60)">${esc(l)}</text>`));
  m.labels.forEach((l, i) => {
    out.push(`<text x="${LABEL - 6}" y="${LABEL + i * CELL + CELL / 2 + 4}" text-anchor="end">${esc(l)}</text>`);
    (m.cells[i] ?? []).forEach((c, j) => {
      const fill = c.verdict === 'allow' ? ALLOW_COLOUR : DENY_COLOUR;
      out.push(`<rect data-from="${esc(l)}" data-to="${esc(m.labels[j] ?? '')}" x="${LABEL + j * CELL}" y="${LABEL + i * CELL}" width="${CELL - 2}" height="${CELL - 2}" fill="${fill}"><title>${esc(`${l} → ${m.labels[j] ?? ''}: ${c.verdict} — ${c.decidedBy}`)}</title></rect>`);
    });
  });
  const ly = LABEL + n * CELL + 20;
  out.push(`<rect x="4" y="${ly}" width="14" height="14" fill="${ALLOW_COLOUR}"/><text x="24" y="${ly + 12}">allowed</text>`, `<rect x="94" y="${ly}" width="14" height="14" fill="${DENY_COLOUR}"/><text x="114" y="${ly + 12}">denied (hover a cell for the deciding policy)</text>`, '</svg>');
  return out.join('\n') + '\n';
}

/** The matrix as a standalone HTML page around the SVG, with the deciding policies listed. */
export function renderMatrixHtml(m: Matrix): string {
  const denied = m.cells.flatMap((row, i) => row.map((c, j) => ({ c, from: m.labels[i] ?? '', to: m.labels[j] ?? '' }))).filter((x) => x.c.verdict === 'deny');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Reachability ${esc(m.flow)}</title>
<style>body{margin:8px;font-family:sans-serif;background:#fff}li{font-size:12px}</style></head>
<body>
${renderMatrixSvg(m)}<h3>Denied flows</h3>
<ul>${denied.map((d) => `<li>${esc(d.from)} → ${esc(d.to)}: ${esc(d.c.decidedBy)}</li>`).join('')}</ul>
</body></html>
`;
}
