import type { Command } from 'commander';
import { codecConfigFromEnv } from '../config/codec-config';
import { createCodecAuthenticator } from '../temporal/codec/codec-auth';
import { startCodecServer } from '../temporal/codec/codec-server';
import { EncryptionCodec } from '../temporal/codec/encryption-codec';
import { untilInterrupted } from './shutdown';

export function registerCodecServerCommand(program: Command): void {
  program
    .command('codec-server')
    .description('Serve POST /encode and /decode so the Temporal Web UI and CLI can show encrypted payloads (127.0.0.1 unless authenticated)')
    .option('--port <port>', 'port (on ERP_BRIDGE_CODEC_HOST, default 127.0.0.1)', '8888')
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
      const auth = createCodecAuthenticator(config.auth);
      const server = await startCodecServer({
        port,
        host: config.host,
        auth,
        codec: new EncryptionCodec(config.keyring),
        allowedOrigins: config.corsOrigins,
        onError: (err) => console.error('codec-server: unexpected error', err instanceof Error ? err.message : err),
      });
      const [current, ...previous] = config.keyring.ids;
      console.log(`Codec server: ${server.url}  (current key id ${current}${previous.length ? `; also decrypts ${previous.join(', ')}` : ''})`);
      console.log(`Allowed browser origins: ${config.corsOrigins.join(', ')}  (ERP_BRIDGE_CODEC_CORS_ORIGINS)`);
      const ways = [config.auth.token ? 'bearer token (ERP_BRIDGE_CODEC_AUTH_TOKEN)' : '', config.auth.jwksUrl ? `Web UI access tokens verified against ${config.auth.jwksUrl}` : ''].filter(Boolean);
      console.log(
        auth
          ? `Authentication: ${ways.join('; ')}`
          : 'Authentication: none (loopback only). Set ERP_BRIDGE_CODEC_AUTH_TOKEN and/or ERP_BRIDGE_CODEC_JWKS_URL to require it.',
      );
      console.log(`Web UI: temporal server start-dev --ui-codec-endpoint ${server.url}  (or the UI's Data Encoder setting)`);
      console.log(
        `CLI:    temporal workflow show --workflow-id X --codec-endpoint ${server.url}${config.auth.token ? ' --codec-auth "Bearer $ERP_BRIDGE_CODEC_AUTH_TOKEN"' : ''}  (or TEMPORAL_CODEC_ENDPOINT)`,
      );
      console.log('Ctrl-C stops the server.');
      await untilInterrupted();
      await server.stop();
    });
}
