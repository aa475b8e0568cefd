// n8n loads the files listed in package.json's "n8n" section; this entry point only lists them for tooling.
const { n8n } = require('./package.json');
module.exports = { nodes: n8n.nodes, credentials: n8n.credentials };
