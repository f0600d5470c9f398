/**
 * A mention is `@` followed by a user id, in content. The `@` starts the content or follows a
 * character that cannot be part of an id (so `ann@example.com` mentions nobody); the id runs over
 * letters, digits, `_`, `.` and `-` and ends at the first other character (whitespace or other
 * punctuation). Trailing `.` and `-` end a sentence as often as an id: the longest form that names
 * a member of the room wins (`@jo.` is `jo.` if such a member exists, else `jo`).
 */
const MENTION = /(?<![A-Za-z0-9_.-])@([A-Za-z0-9_.-]+)/g;

/** The room's members mentioned in the content, each once, in order of first mention. */
export const mentionsIn = (content: string, isMember: (userId: string) => boolean): string[] => {
  const mentioned = new Set<string>();
  for (const [, token] of content.matchAll(MENTION)) {
    for (let id = token!; id.length > 0; id = id.slice(0, -1)) {
      if (isMember(id)) {
        mentioned.add(id);
        break;
      }
      if (!/[.-]$/.test(id)) break;
    }
  }
  return [...mentioned];
};
