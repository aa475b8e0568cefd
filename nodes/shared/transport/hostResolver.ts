/**
 * The addresses a host name resolves to, as the HTTP request will see them (getaddrinfo, every family), so the
 * media fetch rules can refuse a name that points at a private network (docs/security.md).
 */
// n8n's helpers offer no name resolution; without it a name like `metadata.internal` would pass the address rules.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import { promises as dns } from 'dns';

export async function resolveHost(host: string): Promise<string[]> {
	const answers = await dns.lookup(host, { all: true, verbatim: true });
	return answers.map((answer) => answer.address);
}
