// The browser tests' one clock: the local stack's services, the codes the token app computes and every
// browser page read it, so a test moves time forward (to the token's next step, say) instead of waiting
// for it, and the server and the browser never disagree on what time it is.
import type { Clock } from "#shared/clock";

/** Something that keeps its own time in step with the clock (a browser context's clock). */
type Follower = (ms: number) => Promise<void>;

/** Runs on with the wall clock, plus the time the test moved it forward by. */
export class ConsoleClock implements Clock {
  private offset = 0;
  private readonly followers = new Set<Follower>();

  now(): number {
    return Date.now() + this.offset;
  }

  /** Moves the clock, and every follower, `ms` forward. */
  async advance(ms: number): Promise<void> {
    if (ms <= 0) return;
    this.offset += ms;
    await Promise.all([...this.followers].map((follow) => follow(ms)));
  }

  /** Back to the wall clock, followed by nobody: a test file's stack starts it so (useConsole). */
  restart(): void {
    this.offset = 0;
    this.followers.clear();
  }

  /** Keeps `follow` moving with the clock until the returned function is called. */
  follow(follow: Follower): () => void {
    this.followers.add(follow);
    return () => this.followers.delete(follow);
  }
}

/**
 * The clock of the running test file's local stack, read by `nextTotp` and `transactionCode`, whose
 * signatures take no stack. Files that share a worker run one after another, and each file's
 * `useConsole` restarts it, so no file inherits the time another moved it by.
 */
export const consoleClock = new ConsoleClock();
