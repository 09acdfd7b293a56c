/** Source of the events `npm run replay` plays from a match's stored events. */
export const REPLAY_SOURCE = 'replay';

/** Source of simulated events: replays of imported matches, and the live demo's matches. */
export const SIMULATED_SOURCE = 'simulated';

/**
 * Matches with events from these sources are copies or inventions, not results: the models
 * never learn from them (see predictions/history.ts).
 */
export const NOT_A_RESULT_SOURCES: readonly string[] = [REPLAY_SOURCE, SIMULATED_SOURCE];
