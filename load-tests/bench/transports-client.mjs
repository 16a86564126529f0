// One SELECT 1 per request from fresh clients, over pgmux's WebSocket listener or HTTP endpoint; used by
// transports.sh. Arguments: ws | http-fresh | http-keepalive, the number of queries, the concurrency.
// Environment: PGMUX_WEBSOCKET, PGMUX_HTTP (host:port), DATABASE_URL. Prints one JSON line.
import { Client, neonConfig } from '@neondatabase/serverless';
import ws from 'ws';
import https from 'node:https';

const [mode, total, concurrency] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const url = process.env.DATABASE_URL;
neonConfig.webSocketConstructor = ws;
neonConfig.useSecureWebSocket = true;
neonConfig.pipelineConnect = false;
neonConfig.wsProxy = () => `${process.env.PGMUX_WEBSOCKET}/v2`;
const agent = new https.Agent({ keepAlive: mode === 'http-keepalive', maxSockets: concurrency,
    rejectUnauthorized: false });
const body = JSON.stringify({ query: 'SELECT 1', params: [] });
const [host, port] = (process.env.PGMUX_HTTP || ':').split(':');

function post() {
    return new Promise((resolve, reject) => {
        const request = https.request({ host, port, path: '/sql', method: 'POST', agent, headers: {
            'Content-Type': 'application/json', 'Neon-Connection-String': url, 'Content-Length': body.length } },
        response => {
            response.resume();
            response.on('end', () => response.statusCode === 200 ? resolve() : reject(new Error('HTTP ' + response.statusCode)));
        });
        request.on('error', reject);
        request.end(body);
    });
}

async function once() {
    if (mode === 'ws') {
        const client = new Client(url);
        await client.connect();
        await client.query('SELECT 1');
        await client.end();
    } else {
        await post();
    }
}

const latencies = [];
let next = 0;
const started = process.hrtime.bigint();
await Promise.all([...Array(concurrency)].map(async () => {
    while (next < total) {
        next++;
        const t0 = process.hrtime.bigint();
        await once();
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
}));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
latencies.sort((a, b) => a - b);
const at = q => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(JSON.stringify({ mode, queries: latencies.length, qps: latencies.length / seconds,
    mean_ms: latencies.reduce((a, b) => a + b, 0) / latencies.length, p50_ms: at(0.5), p99_ms: at(0.99) }));
agent.destroy();
