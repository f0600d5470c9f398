/**
 * The harness's only way to the terminal (the lint forbids `console`): progress goes to stderr,
 * the JSON result to stdout, so `pnpm -s bench … | jq` works.
 */
export const progress = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

export const output = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};
