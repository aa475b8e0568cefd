import { bareHost, isIpLiteral, nonPublicReason } from '../../../nodes/shared/bridge/addressPolicy';

describe('which addresses a media link may reach', () => {
	it.each([
		['127.0.0.1', 'a loopback address'],
		['127.10.20.30', 'a loopback address'],
		['::1', 'a loopback address'],
		['10.1.2.3', 'a private address'],
		['172.16.0.1', 'a private address'],
		['172.31.255.255', 'a private address'],
		['192.168.1.10', 'a private address'],
		['169.254.169.254', 'a cloud metadata address'],
		['169.254.10.1', 'a link-local address'],
		['fe80::1', 'a link-local address'],
		['fd00:ec2::254', 'a private (unique local) address'],
		['fc00::1', 'a private (unique local) address'],
		['0.0.0.0', 'the "this host" address 0.0.0.0/8'],
		['::', 'the unspecified address ::'],
		['100.64.0.1', 'a shared (carrier-grade NAT) address'],
		['224.0.0.1', 'a multicast or reserved address'],
		// IPv4 hidden in IPv6 forms reaches the IPv4 host.
		['::ffff:127.0.0.1', 'a loopback address'],
		['::ffff:7f00:1', 'a loopback address'],
		['::ffff:a9fe:a9fe', 'a cloud metadata address'],
		['64:ff9b::10.0.0.1', 'a private address'],
		['2002:c0a8:0101::1', 'a private address'],
	])('%s is refused as %s', (address, reason) => {
		expect(nonPublicReason(address)).toBe(reason);
	});

	it.each(['93.184.216.34', '157.240.0.35', '172.32.0.1', '2a03:2880:f10c:83:face:b00c:0:25de', '::ffff:93.184.216.34'])(
		'%s is public',
		(address) => {
			expect(nonPublicReason(address)).toBeUndefined();
		},
	);

	it('what URL parsing makes of disguised loopback hosts is an IP address, and loopback', () => {
		for (const link of ['http://2130706433/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://[::ffff:127.0.0.1]/', 'http://127.1/', 'http://127.0.0.1./']) {
			const host = bareHost(new URL(link));
			expect([link, isIpLiteral(host), nonPublicReason(host)]).toEqual([link, true, 'a loopback address']);
		}
	});

	it('names are not IP addresses, even names made of hex digits', () => {
		for (const host of ['lookaside.fbsbx.com', 'cafe', 'dead.beef', 'localhost']) expect([host, isIpLiteral(host)]).toEqual([host, false]);
	});
});
