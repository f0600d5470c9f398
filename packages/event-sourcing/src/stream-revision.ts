/** A stream and the revision of one of its events. */
export interface StreamRevision {
  stream: string;
  revision: number;
}
