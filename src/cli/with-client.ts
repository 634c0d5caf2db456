import type { Client } from '@temporalio/client';
import { connectClient } from '../temporal/connection';

/** Runs one operator action with a Temporal client (from the environment), closing it whatever happens. */
export async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient();
  try {
    return await fn(client);
  } finally {
    await client.connection.close();
  }
}
