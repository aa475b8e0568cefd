import { isLoopbackName, isMediaHost, parseMediaHosts } from '../../../nodes/shared/bridge/mediaHosts';

describe('"Media Hosts" of a gateway credential', () => {
	it('takes comma- or newline-separated names, any case, trailing dots ignored, duplicates once', () => {
		expect(parseMediaHosts(' Files.Example.com ,\n*.CDN.example.com.\r\n\nfiles.example.com., bücher.example')).toEqual([
			'files.example.com',
			'*.cdn.example.com',
			'xn--bcher-kva.example',
		]);
		expect(parseMediaHosts('')).toEqual([]);
	});

	it.each([
		['https://files.example.com/bucket', /is not a host name \(list names like files\.example\.com or \*\.example\.com, without scheme, port or path\)/],
		['minio.example.com:9000', /without scheme, port or path/],
		['*', /"\*" is not a host name/],
		['files.*.example.com', /is not a host name/],
		['a..b', /"a\.\.b" is not a host name/],
		['10.0.0.5', /"10\.0\.0\.5" is an IP address: list host names only/],
		['[::1]', /is not a host name|is an IP address/],
	])('refuses %s, saying why', (entry, reason) => {
		expect(() => parseMediaHosts(`ok.example, ${entry}`)).toThrow(reason);
	});

	it('a *. pattern matches any subdomain, never the bare parent nor look-alikes', () => {
		const patterns = parseMediaHosts('*.example.com, lookaside.fbsbx.com');
		expect(['a.example.com', 'A.B.Example.COM.', 'lookaside.fbsbx.com', 'LOOKASIDE.fbsbx.com.'].filter((host) => isMediaHost(host, patterns))).toHaveLength(4);
		expect(
			['example.com', 'evil-example.com', 'example.com.evil', 'xexample.com', 'fbsbx.com', 'x.lookaside.fbsbx.com'].filter((host) =>
				isMediaHost(host, patterns),
			),
		).toEqual([]);
	});

	it('localhost and its subdomains are loopback names', () => {
		expect(['localhost', 'LOCALHOST.', 'api.localhost'].every(isLoopbackName)).toBe(true);
		expect(['localhost.example.com', 'mylocalhost'].some(isLoopbackName)).toBe(false);
	});
});
