// `erp-bridge bench` (npm run bench): the throughput benchmark of issue 7 (src/bench), results to bench-results/.
import path from 'node:path';
import type { Command } from 'commander';
import { benchOptionsFrom, DEFAULT_REFUNDS, RUN_KINDS, type BenchCliInput } from '../bench/options';
import { reportMarkdown, writeReport } from '../bench/report';
import { runBench } from '../bench/run';
import { syncConfigFromEnv } from '../config/sync-config';
import { PROJECT_ROOT } from '../temporal/temporal-cli';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('Throughput benchmark on its own dev server: no-op ceiling, engine overhead, realistic latencies')
    .option('--refunds <n>', 'refunds per run', String(DEFAULT_REFUNDS))
    .option('--jst-latency <ms>', 'realistic run: Jushuitan latency per call', '80')
    .option('--kingdee-query-latency <ms>', 'realistic run: Kingdee latency per query', '150')
    .option('--kingdee-write-latency <ms>', 'realistic run: Kingdee latency per write', '300')
    .option('--kingdee-concurrency <n>', 'Kingdee calls in flight per user (every run)', '4')
    .option('--batch-size <n>', 'bills per Kingdee call through the batcher, 1-50 (1: one bill per call)', '20')
    .option('--batch-linger <ms>', 'how long the first bill of a batch waits for company, 0-250 ms (default: the batcher\'s)')
    .option('--max-activities <n>', 'worker: concurrent activities (default: ERP_BRIDGE_MAX_ACTIVITIES or its default)')
    .option('--max-workflow-tasks <n>', 'worker: concurrent workflow tasks (default: ERP_BRIDGE_MAX_WORKFLOW_TASKS or its default)')
    .option('--only <runs>', `comma-separated subset of ${RUN_KINDS.join(',')}`)
    .option('--history-sample <n>', 'child histories read to count activities per refund', '100')
    .option('--stall-timeout <s>', 'stop waiting when no refund completes for this long', '180')
    .option('--seed <n>', 'world seed', '7')
    .option('--out <dir>', 'results directory', path.join(PROJECT_ROOT, 'bench-results'))
    .action(async (opts: BenchCliInput) => {
      const options = benchOptionsFrom(opts, syncConfigFromEnv().worker);
      const report = await runBench(options, (line) => console.log(line));
      const { files, pngConverter } = writeReport(path.resolve(options.outDir), report);
      console.log(`\n${reportMarkdown(report)}`);
      console.log(`Written: ${files.join(', ')}`);
      if (!pngConverter) console.log('No PNG: neither rsvg-convert (apt-get install librsvg2-bin) nor ImageMagick `magick` is installed; the SVG is written.');
    });
}
