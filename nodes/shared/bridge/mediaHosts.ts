/**
 * The host names a media link may name: the gateway credential's own host and the names listed in its "Media Hosts".
 * A listed name is the admin's statement that the host serves media; names are never resolved (n8n's rules for
 * community nodes allow no name resolution), so no DNS answer can turn an allowed name into a private address
 * between the check and the request (docs/security.md).
 */
import { isIpLiteral, normalHost } from './addressPolicy';

/** The names of one gateway credential: exact names and `*.` patterns, normalised. */
export interface MediaHosts {
	/** `files.example.com` or `*.example.com` (any subdomain, never the bare parent). */
	patterns: string[];
	/** What the credential calls its own address ("Base URL", "Graph API URL"), for refusal messages. */
	urlField: string;
}

/** `localhost` and `*.localhost` are loopback by definition (RFC 6761), whatever a resolver says. */
export function isLoopbackName(host: string): boolean {
	const name = normalHost(host);
	return name === 'localhost' || name.endsWith('.localhost');
}

const HOST_NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;

/** One entry of "Media Hosts" in its normal form, or why it is not a host name. */
function parseEntry(entry: string): { pattern: string } | { problem: string } {
	const wildcard = entry.startsWith('*.');
	const name = wildcard ? entry.slice(2) : entry;
	if (/[\s/:@?#[\]\\*]/.test(name) || name === '') {
		return { problem: `"${entry}" is not a host name (list names like files.example.com or *.example.com, without scheme, port or path)` };
	}
	let host: string;
	try {
		host = normalHost(new URL(`http://${name}`).hostname);
	} catch {
		return { problem: `"${entry}" is not a host name` };
	}
	if (isIpLiteral(host)) {
		return {
			problem: `"${entry}" is an IP address: list host names only (public IP addresses are fetched without listing; private ones only as the credential's own host with "Allow Private Gateway Host")`,
		};
	}
	if (!HOST_NAME.test(host)) return { problem: `"${entry}" is not a host name` };
	return { pattern: wildcard ? `*.${host}` : host };
}

/**
 * The "Media Hosts" text (comma- or newline-separated) as patterns; throws an Error naming the first entry that is
 * not a host name, so a typo is reported rather than silently refusing media.
 */
export function parseMediaHosts(text: string): string[] {
	const patterns: string[] = [];
	for (const entry of text.split(/[,\n\r]+/).map((part) => part.trim()).filter(Boolean)) {
		const parsed = parseEntry(entry);
		if ('problem' in parsed) throw new Error(parsed.problem);
		if (!patterns.includes(parsed.pattern)) patterns.push(parsed.pattern);
	}
	return patterns;
}

/** Whether `host` (a name, not an IP literal) is one of the patterns: exact, or a subdomain of a `*.` pattern. */
export function isMediaHost(host: string, patterns: string[]): boolean {
	const name = normalHost(host);
	return patterns.some((pattern) =>
		pattern.startsWith('*.') ? name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1 : name === pattern,
	);
}
