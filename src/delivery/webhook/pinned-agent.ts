import type { LookupAddress, LookupOneOptions } from 'node:dns';
import { Agent } from 'undici';
import { resolvePublicAddress, type Resolver, systemResolver } from '../../net/address-guard.js';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A keep-alive HTTP agent whose DNS lookup is the address guard: the address checked is the address
 * connected to (no second lookup can swap in a private one). Connections are reused per origin.
 */
export function createPinnedAgent(options: { allowPrivate: boolean; resolver?: Resolver; timeoutMs: number }): Agent {
  const resolver = options.resolver ?? systemResolver;
  const lookup = (hostname: string, lookupOptions: LookupOneOptions & { all?: boolean }, callback: LookupCallback): void => {
    resolvePublicAddress(hostname, options.allowPrivate, resolver).then(
      (check) => {
        if (!check.ok) {
          const error: NodeJS.ErrnoException = new Error(check.reason);
          // A refused address is final; a failed lookup may be a DNS hiccup, so the outbox retries it.
          error.code = check.unresolved ? 'ENOTFOUND' : 'EADDRBLOCKED';
          return callback(error, '', 0);
        }
        if (lookupOptions.all) return callback(null, [{ address: check.address, family: check.family }]);
        return callback(null, check.address, check.family);
      },
      (error: Error) => callback(error, '', 0),
    );
  };
  return new Agent({
    keepAliveTimeout: 30_000,
    connections: 64,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connectTimeout: options.timeoutMs,
    connect: { lookup } as unknown as Agent.Options['connect'],
  });
}
