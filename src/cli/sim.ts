// `erp-bridge sim`: starts the simulators on one shared world and prints ONE JSON line with their base
// URLs and (fake) credentials, then runs until Ctrl-C. Each simulator is one entry of SIMULATORS: a port
// option and a start function; adding the Kingdee simulator is one more entry.
import type { Command } from 'commander';
import { startJushuitanSimulator } from '../sim/jushuitan';
import { startKingdeeSimulator } from '../sim/kingdee';
import { generateWorld, type World } from '../sim/world';
import { untilInterrupted } from './shutdown';
import { simEnvBlock } from './sim-env';

interface RunningSimulator {
  /** Merged into the printed JSON line under the simulator's name. */
  info: Record<string, unknown>;
  stop(): Promise<void>;
}

interface SimulatorEntry {
  name: string;
  /** commander flag and its options key, e.g. '--jst-port <port>' / 'jstPort'. */
  portFlag: string;
  portKey: string;
  start(world: World, port: number): Promise<RunningSimulator>;
}

const SIMULATORS: SimulatorEntry[] = [
  {
    name: 'jushuitan',
    portFlag: '--jst-port <port>',
    portKey: 'jstPort',
    async start(world, port) {
      const sim = await startJushuitanSimulator({ world, port, seed: world.seed });
      const c = sim.credentials;
      return {
        info: {
          baseUrl: sim.baseUrl,
          adminUrl: sim.adminUrl,
          ...c,
          env: { JST_BASE_URL: sim.baseUrl, JST_APP_KEY: c.appKey, JST_APP_SECRET: c.appSecret, JST_ACCESS_TOKEN: c.accessToken, JST_REFRESH_TOKEN: c.refreshToken },
        },
        stop: () => sim.stop(),
      };
    },
  },
  {
    name: 'kingdee',
    portFlag: '--kingdee-port <port>',
    portKey: 'kingdeePort',
    async start(world, port) {
      const sim = await startKingdeeSimulator({ world, port });
      const c = sim.credentials;
      return {
        info: {
          baseUrl: sim.baseUrl,
          adminUrl: sim.adminUrl,
          ...c,
          env: {
            KINGDEE_BASE_URL: sim.baseUrl, KINGDEE_ACCT_ID: c.acctId, KINGDEE_USERNAME: c.username, KINGDEE_PASSWORD: c.password,
            KINGDEE_APP_ID: c.appId, KINGDEE_APP_SECRET: c.appSecret, KINGDEE_LCID: String(c.lcid),
          },
        },
        stop: () => sim.stop(),
      };
    },
  },
];

function integerOption(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

export function registerSimCommand(program: Command): void {
  const command = program
    .command('sim')
    .description('Run the ERP simulators on one deterministic world; prints one JSON line with URLs and fake credentials')
    .option('--seed <n>', 'world seed', '1')
    .option('--refunds <n>', 'number of Jushuitan after-sales records', '100')
    .option('--env', 'print the world\'s date range and `export` lines for CLI commands instead of JSON (e.g. sim --env > sim.env &  then  . ./sim.env)');
  for (const sim of SIMULATORS) command.option(sim.portFlag, `${sim.name} simulator port (0 = a free port)`, '0');

  command.action(async (opts: Record<string, string | boolean | undefined>) => {
    const seed = integerOption(String(opts.seed), '--seed');
    const world = generateWorld({ seed, refunds: integerOption(String(opts.refunds), '--refunds') });
    const running: Array<RunningSimulator & { name: string }> = [];
    try {
      for (const sim of SIMULATORS) {
        running.push({ name: sim.name, ...(await sim.start(world, integerOption(String(opts[sim.portKey]), sim.portFlag))) });
      }
      if (opts.env) {
        const env = Object.assign({}, ...running.map((sim) => sim.info.env as Record<string, string>)) as Record<string, string>;
        for (const line of simEnvBlock(world, env)) console.log(line);
        console.log('# the simulators run until Ctrl-C');
      } else {
        const line: Record<string, unknown> = { seed, refunds: world.refunds.length };
        for (const sim of running) line[sim.name] = sim.info;
        console.log(JSON.stringify(line));
      }
      await untilInterrupted();
    } finally {
      await Promise.all(running.map((sim) => sim.stop()));
    }
  });
}
