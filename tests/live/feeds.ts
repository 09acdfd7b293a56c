import { expect } from 'vitest';

/**
 * Subscribing takes a moment after the subscribe message (the key is checked again, the group
 * starts): publishes a warm-up event until `allReceived` says every feed has had one.
 */
export async function untilEveryFeedIsOn(publish: () => void, allReceived: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 50 && !allReceived(); attempt++) {
    publish();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(allReceived()).toBe(true);
}
