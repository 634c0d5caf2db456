import type { Command } from 'commander';
import { codecConfigFromEnv } from '../config/codec-config';
import { startCodecServer } from '../temporal/codec/codec-server';
import { EncryptionCodec } from '../temporal/codec/encryption-codec';
import { untilInterrupted } from './shutdown';

export function registerCodecServerCommand(program: Command): void {
  program
    .command('codec-server')
    .description('Serve POST /encode and /decode on 127.0.0.1 so the Temporal Web UI and CLI can show encrypted payloads')
    .option('--port <port>', 'port on 127.0.0.1', '8888')
    .action(async (opts: { port: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (got ${opts.port})`);
      const config = codecConfigFromEnv(process.env);
      if (!config.keyring) {
        throw new Error(
          'codec-server: payload encryption is off (ERP_BRIDGE_CODEC_KEYS is not set), so there is nothing to decode. ' +
            'Set ERP_BRIDGE_CODEC_KEYS=keyId:base64Key[,oldId:oldBase64Key] (a key: openssl rand -base64 32).',
        );
      }
      const server = await startCodecServer({
        port,
        codec: new EncryptionCodec(config.keyring),
        allowedOrigins: config.corsOrigins,
        onError: (err) => console.error('codec-server: unexpected error', err instanceof Error ? err.message : err),
      });
      const [current, ...previous] = config.keyring.ids;
      console.log(`Codec server: ${server.url}  (current key id ${current}${previous.length ? `; also decrypts ${previous.join(', ')}` : ''})`);
      console.log(`Allowed browser origins: ${config.corsOrigins.join(', ')}  (ERP_BRIDGE_CODEC_CORS_ORIGINS)`);
      console.log(`Web UI: temporal server start-dev --ui-codec-endpoint ${server.url}  (or the UI's Data Encoder setting)`);
      console.log(`CLI:    temporal workflow show --workflow-id X --codec-endpoint ${server.url}  (or TEMPORAL_CODEC_ENDPOINT)`);
      console.log('Ctrl-C stops the server.');
      await untilInterrupted();
      await server.stop();
    });
}
