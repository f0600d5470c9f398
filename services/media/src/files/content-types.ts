/**
 * What may be shared — images and documents; no SVG (it can carry script), no archives, nothing
 * executable — and the file name extensions each type may carry (lower case). A declared type is
 * compared by its essence, `text/plain; charset=utf-8` being `text/plain`. A name's last extension
 * must be one of its type's: the receiver's system picks what opens a file by its name, not by the
 * content the platform verified.
 */
export const EXTENSIONS_OF_TYPE: Readonly<Record<string, readonly string[]>> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'application/vnd.oasis.opendocument.text': ['odt'],
  'application/vnd.oasis.opendocument.spreadsheet': ['ods'],
  'application/vnd.oasis.opendocument.presentation': ['odp'],
  'text/plain': ['txt', 'text', 'log'],
  'text/csv': ['csv'],
  'text/markdown': ['md', 'markdown'],
};

export const ALLOWED_CONTENT_TYPES: ReadonlySet<string> = new Set(Object.keys(EXTENSIONS_OF_TYPE));

/** Allowed types with no signature in their first bytes: their content is recognised as text. */
export const TEXT_CONTENT_TYPES: ReadonlySet<string> = new Set(['text/plain', 'text/csv', 'text/markdown']);

export const essenceOf = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * Extensions that run something when opened — Windows, macOS and Linux programs, scripts and
 * installers, shortcuts — refused by name whatever the declared type, so a text file cannot be
 * shared as `invoice.pdf.bat`.
 */
export const EXECUTABLE_EXTENSIONS: ReadonlySet<string> = new Set([
  'exe',
  'com',
  'scr',
  'pif',
  'cpl',
  'dll',
  'msi',
  'msp',
  'msc',
  'bat',
  'cmd',
  'ps1',
  'psm1',
  'psd1',
  'vbs',
  'vbe',
  'js',
  'jse',
  'mjs',
  'cjs',
  'wsf',
  'wsh',
  'hta',
  'lnk',
  'scf',
  'url',
  'reg',
  'inf',
  'gadget',
  'jar',
  'sh',
  'bash',
  'zsh',
  'csh',
  'ksh',
  'command',
  'app',
  'pkg',
  'dmg',
  'deb',
  'rpm',
  'apk',
  'appimage',
  'run',
  'bin',
  'py',
  'pyw',
  'pl',
  'rb',
  'php',
  'elf',
  'html',
  'htm',
  'svg',
  'xhtml',
]);

/** The last extension of a file name, lower case; '' when it has none. */
export const extensionOf = (fileName: string): string => {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0
    ? ''
    : fileName
        .slice(dot + 1)
        .trim()
        .toLowerCase();
};
