/**
 * `npm run sandbox`: the sandbox Chatwoot as a standalone server for demos and manual tests.
 * Port from SANDBOX_PORT (default 3999); SANDBOX_PUBLIC_URL overrides the URL put into attachment `data_url`s;
 * SANDBOX_LATENCY_MS and SANDBOX_WEBHOOK_TIMEOUT_MS set the knobs of the same name; SANDBOX_QUIET=1 stops the log.
 */
import { DEFAULT_TOKENS, startSandbox } from './index';

async function main(): Promise<void> {
	const env = process.env;
	const quiet = env.SANDBOX_QUIET === '1';
	const sb = await startSandbox({
		port: Number(env.SANDBOX_PORT ?? 3999),
		host: env.SANDBOX_HOST ?? '127.0.0.1',
		publicUrl: env.SANDBOX_PUBLIC_URL,
		latencyMs: env.SANDBOX_LATENCY_MS ? Number(env.SANDBOX_LATENCY_MS) : undefined,
		webhookTimeoutMs: env.SANDBOX_WEBHOOK_TIMEOUT_MS ? Number(env.SANDBOX_WEBHOOK_TIMEOUT_MS) : undefined,
		log: quiet ? undefined : (line) => console.log(`[${new Date().toISOString()}] ${line}`),
	});
	console.log(
		[
			'Sandbox Chatwoot (behaves like v4.15.1) is running.',
			`  base URL      ${sb.baseUrl}`,
			`  account id    ${sb.accountId}`,
			`  admin token   ${DEFAULT_TOKENS.admin}`,
			`  agent token   ${DEFAULT_TOKENS.agent}`,
			`  bot token     ${DEFAULT_TOKENS.bot}`,
			'',
			`  try: curl -s -H 'api_access_token: ${DEFAULT_TOKENS.admin}' ${sb.baseUrl}/api/v1/profile`,
			'  stop with Ctrl-C',
		].join('\n'),
	);
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping the sandbox`);
		sb.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
