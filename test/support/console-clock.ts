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

  /** Keeps `follow` moving with the clock until the returned function is called. */
  follow(follow: Follower): () => void {
    this.followers.add(follow);
    return () => this.followers.delete(follow);
  }
}

/**
 * The clock of this test file's local stack (a test file runs in a process of its own), read by
 * `nextTotp` and `transactionCode`, whose signatures take no stack.
 */
export const consoleClock = new ConsoleClock();
