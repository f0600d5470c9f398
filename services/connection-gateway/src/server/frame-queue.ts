/**
 * One frame's place in its connection's order. A handler calls `end()` once the part of its work
 * that later frames depend on is done (authentication, the limits, *issuing* its publish); what it
 * then waits for (an outcome, a resume) runs alongside later frames.
 */
export interface FrameTurn {
  readonly correlationId: string;
  /** Lets the connection's next frame start. Calling it again does nothing. */
  end(): void;
}

/** A frame's handling: its turn ends when it calls `endTurn`, or when it settles if it never does. */
export type FrameTask = (endTurn: () => void) => Promise<void>;

const ignore = () => {};

/**
 * The frames of one connection, each started once the previous one ended its turn: a client may
 * pipeline `authenticate`, `join_room` and `send_message`, and the gateway sees them in the order
 * written. Only the ordered part is serial, so a client with 100 sends in flight waits for 100
 * publishes to be issued, not for 100 round trips to the message service.
 */
export class FrameQueue {
  private previousTurn: Promise<void> = Promise.resolve();

  /** Starts `task` after every earlier task's turn; resolves or rejects as the task does. */
  push(task: FrameTask): Promise<void> {
    let endTurn!: () => void;
    const turnEnded = new Promise<void>((resolve) => (endTurn = resolve));
    const done = this.previousTurn.then(() => task(endTurn));
    // A task that fails, or never ends its turn (all of `authenticate` is ordered), lets the next
    // one in when it settles.
    this.previousTurn = Promise.race([turnEnded, done.then(ignore, ignore)]);
    return done;
  }
}
