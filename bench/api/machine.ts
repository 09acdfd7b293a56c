import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  /** PostGraphile needs Node 22 and runs on its own. */
  postgraphileNode: string | null;
  postgres: string;
}

export function describeMachine(postgresVersion: string, postgraphileNode: string | null): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgraphileNode,
    postgres: postgresVersion,
  };
}

export function formatMachine(machine: MachineInfo): string {
  return (
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}; ` +
    `Node ${machine.node} (Matchcast, raw, load generator)` +
    (machine.postgraphileNode ? `, Node ${machine.postgraphileNode} (PostGraphile)` : '') +
    `, PostgreSQL ${machine.postgres}`
  );
}
