import type { ChaosResult } from './run';
import type { WindowVerdict } from './verdict';

const codes = (counts: Record<string, number>) => {
  const entries = Object.entries(counts);
  return entries.length === 0 ? '0' : entries.map(([code, count]) => `${count} ${code}`).join(', ');
};

const seconds = (value: number | null, until: string) => (value === null ? `> ${until}` : String(value));

const row = (verdict: WindowVerdict, windowSeconds: string) => [
  verdict.fault,
  verdict.outage_s === 0 ? '–' : String(verdict.outage_s),
  String(verdict.sent),
  String(verdict.first_attempt.acked),
  codes(verdict.first_attempt.refused),
  String(verdict.first_attempt.unanswered),
  String(verdict.acked),
  String(verdict.lost),
  String(verdict.duplicates),
  String(verdict.order_violations),
  String(verdict.undelivered),
  verdict.fault.endsWith('(no fault)')
    ? '–'
    : `${seconds(verdict.back_to_normal_s, windowSeconds)} / ${seconds(verdict.after_repair_s, windowSeconds)}`,
];

/** The run as the Markdown table of RELIABILITY.md: one row per fault, then the totals. */
export const chaosTable = (result: ChaosResult, maxWindowSeconds: number): string => {
  const header = [
    'fault',
    'outage s',
    'sent',
    'acked 1st try',
    'refused 1st try (code)',
    'unanswered 1st try',
    'acked in the end',
    'lost',
    'dup',
    'order',
    'undelivered',
    'back to normal s (from fault / from repair)',
  ];
  const { totals } = result;
  const lines = [header, header.map(() => '---')];
  for (const verdict of result.windows) lines.push(row(verdict, `${maxWindowSeconds}`));
  lines.push([
    '**all**',
    '',
    String(totals.sent),
    '',
    '',
    '',
    String(totals.acked),
    `**${totals.lost}**`,
    `**${totals.duplicates}**`,
    `**${totals.order_violations}**`,
    String(totals.undelivered),
    '',
  ]);
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
};
