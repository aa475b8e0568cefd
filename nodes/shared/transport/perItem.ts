import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { isCancellation } from '../cancellation';
import { errorJson, toNodeError } from './nodeErrors';

/**
 * Runs one operation item by item, in input order: results become output items paired with their input; a failure
 * stops the node with an actionable error, or becomes an error item when "continue on fail" is on.
 */
export async function perItem(
	ctx: IExecuteFunctions,
	run: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
	failedStatus = 'failed',
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const items = ctx.getInputData();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await run(itemIndex);
			for (const json of Array.isArray(result) ? result : [result]) {
				output.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			// A cancelled execution stops: "continue on fail" is about bad items, not about a Stop.
			if (!ctx.continueOnFail() || isCancellation(error)) throw toNodeError(ctx.getNode(), error, itemIndex);
			output.push({ json: { status: failedStatus, ...errorJson(error, itemIndex) }, pairedItem: { item: itemIndex } });
		}
	}
	return output;
}
