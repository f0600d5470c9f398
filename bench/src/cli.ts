/** `--key value`, `--key=value` and bare `--flag`, after the positional words. */
export interface Parsed {
  words: string[];
  options: Map<string, string>;
}

export const parseArgs = (argv: string[]): Parsed => {
  const words: string[] = [];
  const options = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const next = argv[index + 1];
    if (inline !== undefined) options.set(key, inline);
    else if (next !== undefined && !next.startsWith('--')) options.set(key, argv[++index]!);
    else options.set(key, 'true');
  }
  return { words, options };
};

const kebab = (key: string) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/**
 * A scenario's configuration with command-line overrides: every key of the defaults can be set
 * as `--kebab-case-key`, parsed after the type of its default (number, list of numbers, string).
 */
export const configure = <Config extends object>(
  defaults: Config,
  smoke: Partial<Config> | null,
  options: Map<string, string>,
): Config => {
  const config = { ...defaults, ...(smoke ?? {}) } as Record<string, unknown>;
  for (const [key, value] of Object.entries(defaults)) {
    const raw = options.get(kebab(key));
    if (raw === undefined) continue;
    if (Array.isArray(value)) config[key] = raw.split(',').map(Number);
    else if (typeof value === 'number') config[key] = Number(raw);
    else if (typeof value === 'boolean') config[key] = raw === 'true';
    else config[key] = raw;
    const parsed = config[key];
    if (
      (typeof parsed === 'number' && !Number.isFinite(parsed)) ||
      (Array.isArray(parsed) && parsed.some(Number.isNaN))
    ) {
      throw new Error(`--${kebab(key)}: not a number: ${raw}`);
    }
  }
  return config as Config;
};

export const optionNames = (defaults: object): string[] =>
  Object.keys(defaults).map((key) => `--${kebab(key)}`);
