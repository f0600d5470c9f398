import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** What an app's bundle grows by for a typical import: minified by esbuild, then gzipped. */
export interface BundleSize {
  minified: number;
  gzipped: number;
}

/**
 * Bundles `source` (an app's import of the package) as an app's bundler would for a browser, with
 * `resolveDir` where the package is found, and measures the result.
 */
export const measureImport = async (source: string, resolveDir: string): Promise<BundleSize> => {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
};

/** A typical import of this client: the class, constructed so nothing is shaken away. */
export const TYPICAL_IMPORT = `import { ChatClient } from '@chat/client';\nexport const client = new ChatClient({ url: 'ws://localhost:8000/ws', token: 't' });\n`;

/** The budget for TYPICAL_IMPORT, gzipped (README: "Size"). */
export const BUDGET_GZIP_BYTES = 8 * 1024;
