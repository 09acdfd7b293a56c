// The `npm run tenant` command line (scripts/tenant.ts runs it): tenants and API keys for the
// first owner of a fresh deployment (the API's createTenant needs an OPERATOR key to begin with).
import { parseArgs } from 'node:util';
import { ConfigError } from '../src/config';
import { createOrm, migrate } from '../src/db/orm';
import { isAppError } from '../src/errors';
import { Role } from '../src/tenants/role';
import { Scope } from '../src/tenants/scope';
import {
  createTenantWithOwner,
  issueKeyForTenant,
  type NewKeyForTenant,
} from '../src/tenants/tenant-provisioning.service';
import { withDatabase } from './script-database';

const USAGE = `usage:
  npm run tenant -- create --slug <slug> --name <name> --owner-email <email> [--owner-name <name>]
      a tenant and its first OWNER; prints the owner's API key (once)
  npm run tenant -- key --tenant <slug> --name <key name> [--scopes OPERATOR,INGEST]
                        [--role VIEWER|ANALYST|ADMIN|OWNER | --member <email>] [--expires <ISO date>]
      an API key; prints it (once). It acts as the tenant's first OWNER, or as --member,
      or, with --role, as a service member of that role made for the key
Uses DATABASE_URL (or the embedded PostgreSQL) and applies pending migrations first.`;

/** Exit codes: 0 done, 1 refused or failed (conflict, not found, database), 2 bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Option names of the service's input fields, so errors name what the user typed. */
const OPTION_OF_FIELD: Record<string, string> = {
  slug: '--slug',
  name: '--name',
  ownerEmail: '--owner-email',
  ownerName: '--owner-name',
  expiresAt: '--expires',
  member: '--member',
};

class UsageError extends Error {}

type Command =
  { kind: 'create'; input: Parameters<typeof createTenantWithOwner>[1] } | { kind: 'key'; input: NewKeyForTenant };

function parseCommand(argv: string[]): Command {
  const [command, ...rest] = argv;
  if (command === 'create') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        slug: { type: 'string' },
        name: { type: 'string' },
        'owner-email': { type: 'string' },
        'owner-name': { type: 'string' },
      },
    });
    const slug = required(values.slug, '--slug');
    const ownerEmail = required(values['owner-email'], '--owner-email');
    return {
      kind: 'create',
      input: {
        slug,
        name: required(values.name, '--name'),
        ownerEmail,
        ownerName: values['owner-name'] ?? ownerEmail.split('@')[0]!,
      },
    };
  }
  if (command === 'key') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        tenant: { type: 'string' },
        name: { type: 'string' },
        scopes: { type: 'string' },
        role: { type: 'string' },
        member: { type: 'string' },
        expires: { type: 'string' },
      },
    });
    if (values.role !== undefined && values.member !== undefined) {
      throw new UsageError('give --role or --member, not both');
    }
    return {
      kind: 'key',
      input: {
        tenantSlug: required(values.tenant, '--tenant'),
        name: required(values.name, '--name'),
        scopes: values.scopes === undefined ? [] : parseScopes(values.scopes),
        serviceRole: values.role === undefined ? undefined : parseRole(values.role),
        memberEmail: values.member,
        expiresAt: values.expires === undefined ? undefined : parseDate(values.expires),
      },
    };
  }
  throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
}

function required(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${option} is required`);
  return value;
}

function parseScopes(text: string): Scope[] {
  const known = Object.values(Scope) as string[];
  const scopes = text
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !known.includes(s));
  if (unknown.length) throw new UsageError(`--scopes: unknown ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return scopes as Scope[];
}

function parseRole(text: string): Role {
  const role = text.toUpperCase();
  if (!(Object.values(Role) as string[]).includes(role)) {
    throw new UsageError(`--role must be one of ${Object.values(Role).join(', ')}`);
  }
  return role as Role;
}

function parseDate(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--expires is not a date: "${text}"`);
  return date;
}

/** Runs the command; returns what to print, the secret last on a line of its own. */
async function run(command: Command): Promise<string[]> {
  return withDatabase(async (url) => {
    const orm = await createOrm({ databaseUrl: url });
    try {
      await migrate(orm);
      const em = orm.em.fork();
      if (command.kind === 'create') {
        const made = await createTenantWithOwner(em, command.input, null);
        const owner = command.input.ownerEmail.trim().toLowerCase();
        return [
          `Created tenant ${made.tenant.slug} ("${made.tenant.name}") with OWNER ${owner}.`,
          "The owner's API key, shown this once (store it now):",
          made.secret,
        ];
      }
      const issued = await issueKeyForTenant(em, command.input);
      const scopes = issued.apiKey.scopes.length ? issued.apiKey.scopes.join(', ') : 'no scopes';
      return [
        `Created API key "${issued.apiKey.name}" in tenant ${issued.tenant.slug}: role ${issued.member.role}, ${scopes}.`,
        'The key, shown this once (store it now):',
        issued.secret,
      ];
    } finally {
      await orm.close();
    }
  });
}

/** Runs one command line (without the `--`); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    // parseArgs throws TypeErrors with a code for unknown or malformed options.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    for (const line of await run(command)) console.log(line);
    return EXIT.ok;
  } catch (error) {
    if (isAppError(error)) {
      const { code, field } = error.extensions as { code: string; field?: string };
      const option = field ? OPTION_OF_FIELD[field] : undefined;
      console.error(`error (${code}): ${option ? `${option}: ` : ''}${error.message}`);
      return code === 'BAD_USER_INPUT' ? EXIT.usage : EXIT.failed;
    }
    if (error instanceof ConfigError) console.error(error.message);
    else console.error('error:', error instanceof Error ? error.message : error);
    return EXIT.failed;
  }
}
