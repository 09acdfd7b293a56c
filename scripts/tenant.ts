// npm run tenant -- create|key …: see scripts/tenant-cli.ts.
import { EXIT, main } from './tenant-cli';

main(process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'))).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(EXIT.failed);
  },
);
