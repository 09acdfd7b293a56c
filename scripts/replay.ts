// npm run replay -- --match <id> [--speed 60]: a finished match played live through the ingest path.
import { parseArgs } from 'node:util';
import { httpGraphql, replayMatch, ReplayError } from '../src/live/replay/replay-match';

const USAGE = `usage: npm run replay -- --match <id> [options]

Plays a finished match's timeline into a scheduled match through ingestMatchEvents, in real
time scaled by --speed, so liveFeed, matchUpdated and predictionUpdated subscribers see it
live. A match with stored events replays them in the order they were recorded (source
"replay"); an imported match with only its scores gets a timeline drawn at random that ends in
its half-time and full-time scores (source "simulated").

  --match <id>   the finished match (its ID as the API shows it, or its number)
  --into <id>    a SCHEDULED match to play it into; by default a match between the same teams
                 is created in the competition's season of today, kicking off now
  --speed <n>    match seconds per second (default 60: a minute of the match each second)
  --simulate     simulate from the scores even when the match has stored events
  --seed <n>     draw the simulated timeline from this seed (the same seed, the same timeline)
  --url <url>    the GraphQL endpoint (default MATCHCAST_URL or http://127.0.0.1:4000/graphql)
  --key <key>    an API key with the INGEST or OPERATOR scope (default MATCHCAST_API_KEY);
                 npm start prints the demo tenant's
  --help         this text`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      match: { type: 'string' },
      into: { type: 'string' },
      speed: { type: 'string', default: '60' },
      simulate: { type: 'boolean', default: false },
      seed: { type: 'string' },
      url: { type: 'string', default: process.env.MATCHCAST_URL ?? 'http://127.0.0.1:4000/graphql' },
      key: { type: 'string', default: process.env.MATCHCAST_API_KEY },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const speed = Number(values.speed);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  const problems = [
    !values.match && '--match <id> is required',
    !(speed > 0 && speed <= 100_000) && `--speed must be a number above 0 and at most 100000 (got ${values.speed})`,
    seed !== undefined && !Number.isSafeInteger(seed) && `--seed must be a whole number (got ${values.seed})`,
    !values.key && '--key (or MATCHCAST_API_KEY) is required: an API key with the INGEST or OPERATOR scope',
  ].filter(Boolean);
  if (problems.length) {
    console.error([...problems, '', USAGE].join('\n'));
    return 2;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const result = await replayMatch(httpGraphql(values.url, values.key!), {
    match: values.match!,
    into: values.into,
    speed,
    simulate: values.simulate,
    seed,
    signal: controller.signal,
    onProgress: (_, line) => console.error(line),
  });
  const kind = result.simulated ? 'a simulated timeline' : 'its stored events';
  console.error(
    `replayed match ${result.sourceMatchId} into ${result.targetMatchId} (${kind}, ${result.events} events): ${result.finalScore}`,
  );
  // The target's id on stdout alone, for scripts.
  console.log(result.targetMatchId);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ReplayError) console.error(`replay: ${error.message}`);
    else if (error instanceof Error && error.name === 'AbortError') console.error('replay: stopped');
    else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`replay: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    } else console.error(error);
    process.exit(1);
  },
);
