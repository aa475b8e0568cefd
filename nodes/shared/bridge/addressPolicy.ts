/**
 * Which IP addresses a media link from a webhook body may name. A forged webhook must not make n8n fetch its own
 * loopback services, the private network or a cloud metadata endpoint (docs/security.md). Host names are not
 * resolved: they are allowed or refused by the gateway credential's media hosts (mediaHosts.ts).
 */

/** Why an address is refused, in words; undefined: a public address. */
export function nonPublicReason(address: string): string | undefined {
	const v4 = parseIPv4(address);
	if (v4) return ipv4Reason(v4);
	const v6 = parseIPv6(address);
	if (v6) return ipv6Reason(v6);
	return 'not an IP address';
}

function parseIPv4(address: string): number[] | undefined {
	const parts = address.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
	const bytes = parts.map(Number);
	return bytes.every((byte) => byte <= 255) ? bytes : undefined;
}

function ipv4Reason([a, b, c]: number[]): string | undefined {
	if (a === 169 && b === 254) return c === 169 ? 'a cloud metadata address' : 'a link-local address';
	if (a === 127) return 'a loopback address';
	if (a === 0) return 'the "this host" address 0.0.0.0/8';
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'a private address';
	if (a === 100 && b >= 64 && b <= 127) return 'a shared (carrier-grade NAT) address';
	if (a === 192 && b === 0 && c === 0) return 'a reserved address';
	if (a === 198 && (b === 18 || b === 19)) return 'a reserved address';
	if (a >= 224) return 'a multicast or reserved address';
	return undefined;
}

/** Eight 16-bit groups, or undefined. Accepts `::` and an embedded dotted IPv4 tail. */
function parseIPv6(input: string): number[] | undefined {
	let address = input.replace(/^\[|\]$/g, '').split('%')[0].toLowerCase();
	const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
	if (dotted) {
		const v4 = parseIPv4(dotted[1]);
		if (!v4) return undefined;
		address = `${address.slice(0, -dotted[1].length)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
	}
	if (!/^[0-9a-f:]+$/.test(address) || address.split('::').length > 2) return undefined;
	const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
	const headGroups = head ? head.split(':') : [];
	const tailGroups = tail ? tail.split(':') : [];
	const missing = 8 - headGroups.length - tailGroups.length;
	if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
	const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
	if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
	return groups.map((group) => parseInt(group, 16));
}

function embeddedIPv4(high: number, low: number): number[] {
	return [high >> 8, high & 0xff, low >> 8, low & 0xff];
}

function ipv6Reason(groups: number[]): string | undefined {
	const zeroUntil = (index: number): boolean => groups.slice(0, index).every((group) => group === 0);
	if (zeroUntil(8)) return 'the unspecified address ::';
	if (zeroUntil(7) && groups[7] === 1) return 'a loopback address';
	// IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach an IPv4 host.
	if ((zeroUntil(5) && groups[5] === 0xffff) || zeroUntil(6) || (groups[0] === 0x64 && groups[1] === 0xff9b)) {
		return ipv4Reason(embeddedIPv4(groups[6], groups[7]));
	}
	if (groups[0] === 0x2002) return ipv4Reason(embeddedIPv4(groups[1], groups[2]));
	if ((groups[0] & 0xfe00) === 0xfc00) return 'a private (unique local) address';
	if ((groups[0] & 0xffc0) === 0xfe80) return 'a link-local address';
	if ((groups[0] & 0xff00) === 0xff00) return 'a multicast address';
	return undefined;
}

/** Lower case, no IPv6 brackets, no trailing dots: `Files.Example.COM.` and `files.example.com` are one host. */
export function normalHost(host: string): string {
	return host.replace(/^\[|\]$/g, '').replace(/\.+$/, '').toLowerCase();
}

/** The host as URL parsing leaves it (`2130706433`, `0x7f.1` already `127.0.0.1`), in its normal form. */
export function bareHost(url: URL): string {
	return normalHost(url.hostname);
}

/** Whether the host is written as an IPv4 or IPv6 address rather than a name. */
export function isIpLiteral(host: string): boolean {
	return parseIPv4(host) !== undefined || parseIPv6(host) !== undefined;
}
