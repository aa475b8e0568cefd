/**
 * The two HTTP faces of a running n8n the suite needs: the internal REST API behind the editor (owner setup,
 * credential test, activation; cookie + browser id) and the public API (executions; API key).
 */

export interface Execution {
	id: string;
	workflowId: string;
	finished: boolean;
	mode: string;
	status: string;
	startedAt: string;
	stoppedAt: string | null;
	data?: { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: any }>> }; error?: any }>>; error?: any } };
}

const BROWSER_ID = 'chatwoot-bridge-e2e';
export const OWNER = { email: 'owner@example.com', firstName: 'E2E', lastName: 'Owner', password: 'Passw0rd!Passw0rd' };

export class N8nApi {
	private cookie = '';
	private apiKey = '';

	constructor(readonly baseUrl: string) {}

	async rest(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
		const response = await fetch(`${this.baseUrl}/rest${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, cookie: this.cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const cookie = response.headers.get('set-cookie')?.match(/n8n-auth=[^;]+/)?.[0];
		if (cookie) this.cookie = cookie;
		const text = await response.text();
		let json: any = text;
		try {
			json = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: response.status, json };
	}

	/** A GET outside /rest, e.g. `/types/nodes.json` (the node types the editor loads). */
	async getJson(path: string): Promise<{ status: number; json: any }> {
		const response = await fetch(`${this.baseUrl}${path}`, { headers: { 'browser-id': BROWSER_ID, cookie: this.cookie } });
		return { status: response.status, json: response.ok ? await response.json() : await response.text() };
	}

	/** Headless owner setup (docs/n8n-runtime.md, Running n8n for tests), then an API key for the public API. */
	async setupOwner(): Promise<void> {
		const owner = await this.rest('POST', '/owner/setup', OWNER);
		if (owner.status !== 200) throw new Error(`owner setup: ${owner.status} ${JSON.stringify(owner.json)}`);
		const key = await this.rest('POST', '/api-keys', {
			label: 'e2e',
			expiresAt: null,
			scopes: ['execution:list', 'execution:read', 'workflow:list', 'workflow:read'],
		});
		this.apiKey = key.json?.data?.rawApiKey;
		if (!this.apiKey) throw new Error(`api key: ${key.status} ${JSON.stringify(key.json)}`);
	}

	async publicApi(path: string): Promise<any> {
		const response = await fetch(`${this.baseUrl}/api/v1${path}`, { headers: { 'X-N8N-API-KEY': this.apiKey } });
		if (!response.ok) throw new Error(`GET /api/v1${path}: ${response.status} ${await response.text()}`);
		return response.json();
	}

	/** Every execution of a workflow, oldest first. */
	async executions(workflowId: string, includeData = false): Promise<Execution[]> {
		const all: Execution[] = [];
		let cursor: string | undefined;
		do {
			const query = new URLSearchParams({ workflowId, limit: '250', includeData: String(includeData) });
			if (cursor) query.set('cursor', cursor);
			const page = await this.publicApi(`/executions?${query}`);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all.sort((a, b) => Number(a.id) - Number(b.id));
	}

	/** Waits until the workflow has at least `count` executions and none is still running. */
	async waitForExecutions(workflowId: string, count: number, timeoutMs = 30_000): Promise<Execution[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			// Polled without data: 50 executions with their data every 150 ms would load the 2-core machine under test.
			const list = await this.executions(workflowId, false);
			if (list.length >= count && list.every((execution) => execution.stoppedAt)) return this.executions(workflowId, true);
			if (Date.now() > deadline) {
				throw new Error(`${workflowId}: expected ${count} finished executions, have ${JSON.stringify(list.map((e) => [e.id, e.status]))}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 150));
		}
	}

	async versionId(workflowId: string): Promise<string> {
		const { status, json } = await this.rest('GET', `/workflows/${workflowId}`);
		if (status !== 200) throw new Error(`GET /rest/workflows/${workflowId}: ${status} ${JSON.stringify(json)}`);
		return json.data.versionId;
	}
}

/** The items a node produced in an execution (first run, first output). */
export function nodeOutput(execution: Execution, nodeName: string): any[] {
	const run = execution.data?.resultData.runData[nodeName]?.[0];
	if (!run) return [];
	if (run.error) throw new Error(`${nodeName} failed in execution ${execution.id}: ${JSON.stringify(run.error).slice(0, 800)}`);
	return (run.data?.main[0] ?? []).map((item) => item.json);
}

/** Why an execution failed, in one line: the failing node and its error, or the workflow-level error. */
export function failureOf(execution: Execution): string | undefined {
	if (execution.status === 'success') return undefined;
	const resultData = execution.data?.resultData;
	const failedNode = Object.entries(resultData?.runData ?? {}).find(([, runs]) => runs.some((run) => run.error));
	const error = failedNode ? failedNode[1].find((run) => run.error)?.error : resultData?.error;
	const text = error ? `${error.message ?? ''}${error.description ? ` | ${error.description}` : ''}` : 'no error recorded';
	return `execution ${execution.id} ${execution.status}${failedNode ? ` in "${failedNode[0]}"` : ''}: ${text.slice(0, 600)}`;
}
