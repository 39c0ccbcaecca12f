//! The real server on 127.0.0.1:0 over a mock backend, driven over raw HTTP and WebSocket so
//! the tests see exactly what goes over the wire.

use folio_primitives::crypto::native::blake2_256;
use folio_primitives::extrinsic::OpaqueExtrinsic;
use folio_primitives::hash::H256;
use folio_primitives::header::{Digest, DigestItem, Header};
use folio_primitives::transaction_validity::InvalidTransaction;
use folio_primitives::version::{apis, RuntimeVersion};
use folio_primitives::weight::{DispatchClass, RuntimeDispatchInfo};
use folio_primitives::Weight;
use folio_rpc::{
    start_server, BackendError, BoxFuture, RpcBackend, RpcConfig, RpcHandle, RpcMethods,
    SubmitError, SystemInfo, TransactionStatus,
};
use futures_util::io::{BufReader, BufWriter};
use parity_scale_codec::{Compact, Decode, Encode};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{broadcast, mpsc};
use tokio_util::compat::{Compat, TokioAsyncReadCompatExt};

// ---------------------------------------------------------------------------------------
// Mock backend
// ---------------------------------------------------------------------------------------

type State = BTreeMap<Vec<u8>, Vec<u8>>;

struct Block {
    header: Header,
    body: Vec<OpaqueExtrinsic>,
    state: State,
    version: RuntimeVersion,
}

#[derive(Default)]
struct Chain {
    blocks: Vec<Block>,
    by_hash: HashMap<H256, usize>,
    pool: Vec<Vec<u8>>,
    watchers: Vec<mpsc::UnboundedSender<TransactionStatus>>,
}

struct Mock {
    chain: Mutex<Chain>,
    all_heads: broadcast::Sender<Header>,
    new_heads: broadcast::Sender<Header>,
    finalized: broadcast::Sender<Header>,
}

fn version(spec_version: u32) -> RuntimeVersion {
    RuntimeVersion {
        spec_name: "folio".into(),
        impl_name: "folio-node".into(),
        authoring_version: 1,
        spec_version,
        impl_version: 0,
        apis: vec![apis::CORE, apis::METADATA, apis::ACCOUNT_NONCE],
        transaction_version: 1,
        system_version: 1,
    }
}

/// A full extrinsic encoding (compact length prefix + body).
fn extrinsic(body: &[u8]) -> Vec<u8> {
    let mut bytes = Compact(body.len() as u32).encode();
    bytes.extend_from_slice(body);
    bytes
}

/// Bodies starting with this byte fail validation with `BadProof`.
const BAD_SIGNATURE: u8 = 0xbb;

impl Mock {
    fn new() -> Arc<Self> {
        let (all_heads, _) = broadcast::channel(64);
        let (new_heads, _) = broadcast::channel(64);
        let (finalized, _) = broadcast::channel(64);
        let mock = Arc::new(Self {
            chain: Mutex::new(Chain::default()),
            all_heads,
            new_heads,
            finalized,
        });
        let mut genesis_state = State::new();
        genesis_state.insert(b"k1".to_vec(), b"v1".to_vec());
        genesis_state.insert(b"k2".to_vec(), b"v2".to_vec());
        mock.push_block(Vec::new(), genesis_state, version(100));
        mock
    }

    fn push_block(&self, body: Vec<Vec<u8>>, state: State, version: RuntimeVersion) -> Header {
        let mut chain = self.chain.lock().unwrap();
        let (parent_hash, number) = match chain.blocks.last() {
            Some(parent) => (parent.header.hash(), parent.header.number + 1),
            None => (H256::zero(), 0),
        };
        let header = Header {
            parent_hash,
            number,
            state_root: H256([number as u8; 32]),
            extrinsics_root: H256([0xee; 32]),
            digest: Digest {
                logs: vec![
                    DigestItem::PreRuntime(*b"aura", (number as u64).encode()),
                    DigestItem::Seal(*b"aura", vec![number as u8; 64]),
                ],
            },
        };
        let hash = header.hash();
        let body = body
            .iter()
            .map(|b| OpaqueExtrinsic::from_bytes(b).unwrap())
            .collect();
        chain.blocks.push(Block {
            header: header.clone(),
            body,
            state,
            version,
        });
        let index = chain.blocks.len() - 1;
        chain.by_hash.insert(hash, index);
        header
    }

    /// Imports a block on top of the best one with `changes` applied, announces it as best and
    /// finalized, and includes the pool (watchers see inBlock then finalized).
    fn import(&self, changes: &[(&[u8], Option<&[u8]>)], spec_version: Option<u32>) -> Header {
        let (mut state, mut version, pool, watchers) = {
            let mut chain = self.chain.lock().unwrap();
            let best = chain.blocks.last().unwrap();
            (
                best.state.clone(),
                best.version.clone(),
                std::mem::take(&mut chain.pool),
                std::mem::take(&mut chain.watchers),
            )
        };
        for (key, value) in changes {
            match value {
                Some(v) => state.insert(key.to_vec(), v.to_vec()),
                None => state.remove(*key),
            };
        }
        if let Some(spec) = spec_version {
            version = self::version(spec);
        }
        let header = self.push_block(pool, state, version);
        let hash = header.hash();
        let _ = self.all_heads.send(header.clone());
        let _ = self.new_heads.send(header.clone());
        let _ = self.finalized.send(header.clone());
        for watcher in watchers {
            let _ = watcher.send(TransactionStatus::InBlock(hash));
            let _ = watcher.send(TransactionStatus::Finalized(hash));
        }
        header
    }

    fn block<T>(&self, hash: H256, f: impl FnOnce(&Block) -> T) -> Result<T, BackendError> {
        let chain = self.chain.lock().unwrap();
        let index = chain
            .by_hash
            .get(&hash)
            .ok_or(BackendError::UnknownBlock(hash))?;
        Ok(f(&chain.blocks[*index]))
    }

    fn validate(&self, xt: &[u8]) -> Result<H256, SubmitError> {
        let opaque =
            OpaqueExtrinsic::from_bytes(xt).map_err(|e| SubmitError::BadFormat(e.to_string()))?;
        // Skip the length prefix (one byte for the short bodies used here).
        if xt.get(1) == Some(&BAD_SIGNATURE) {
            return Err(SubmitError::Invalid(InvalidTransaction::BadProof.into()));
        }
        Ok(opaque.hash())
    }
}

impl RpcBackend for Mock {
    fn system_info(&self) -> SystemInfo {
        let mut properties = serde_json::Map::new();
        properties.insert("ss58Format".into(), json!(42));
        properties.insert("tokenDecimals".into(), json!(12));
        properties.insert("tokenSymbol".into(), json!("FOLIO"));
        SystemInfo {
            chain_name: "Development".into(),
            chain_type: "Development".into(),
            properties,
            node_name: "folio-node".into(),
            node_version: "0.1.0".into(),
        }
    }
    fn genesis_hash(&self) -> H256 {
        self.chain.lock().unwrap().blocks[0].header.hash()
    }
    fn best_hash(&self) -> H256 {
        self.chain
            .lock()
            .unwrap()
            .blocks
            .last()
            .unwrap()
            .header
            .hash()
    }
    fn finalized_hash(&self) -> H256 {
        self.best_hash()
    }
    fn header(&self, hash: H256) -> BoxFuture<'_, Result<Option<Header>, BackendError>> {
        let result = match self.block(hash, |b| b.header.clone()) {
            Ok(h) => Ok(Some(h)),
            Err(BackendError::UnknownBlock(_)) => Ok(None),
            Err(e) => Err(e),
        };
        Box::pin(async move { result })
    }
    fn body(
        &self,
        hash: H256,
    ) -> BoxFuture<'_, Result<Option<Vec<OpaqueExtrinsic>>, BackendError>> {
        let result = self.block(hash, |b| b.body.clone()).map(Some);
        Box::pin(async move { result })
    }
    fn hash_by_number(&self, number: u32) -> BoxFuture<'_, Result<Option<H256>, BackendError>> {
        let chain = self.chain.lock().unwrap();
        let hash = chain.blocks.get(number as usize).map(|b| b.header.hash());
        Box::pin(async move { Ok(hash) })
    }
    fn call(
        &self,
        at: H256,
        method: String,
        input: Vec<u8>,
    ) -> BoxFuture<'_, Result<Vec<u8>, BackendError>> {
        let known = self.block(at, |_| ());
        let result = known.and_then(|()| match method.as_str() {
            "BlockBuilder_apply_extrinsic" => {
                let outcome: Result<Result<(), ()>, ()> = Ok(Ok(()));
                Ok(outcome.encode())
            }
            "TransactionPaymentApi_query_info" => {
                let len = u32::decode(&mut &input[input.len() - 4..]).unwrap();
                Ok(RuntimeDispatchInfo {
                    weight: Weight {
                        ref_time: 1_000,
                        proof_size: 64,
                    },
                    class: DispatchClass::Normal,
                    partial_fee: 1_000_000_000_000_000_000_000u128 + u128::from(len),
                }
                .encode())
            }
            // `Some(InclusionFee { base_fee: 1, len_fee: len, adjusted_weight_fee: 2^100 })`.
            "TransactionPaymentApi_query_fee_details" => {
                let len = u32::decode(&mut &input[input.len() - 4..]).unwrap();
                Ok(Some((1u128, u128::from(len), 1u128 << 100)).encode())
            }
            "Echo" => Ok(input),
            _ => Err(BackendError::RuntimeCall {
                method,
                message: "unknown method".into(),
            }),
        });
        Box::pin(async move { result })
    }
    fn runtime_version(&self, at: H256) -> BoxFuture<'_, Result<RuntimeVersion, BackendError>> {
        let result = self.block(at, |b| b.version.clone());
        Box::pin(async move { result })
    }
    fn metadata(&self, at: H256) -> BoxFuture<'_, Result<Vec<u8>, BackendError>> {
        let result = self.block(at, |_| b"meta\x0f\x00".to_vec());
        Box::pin(async move { result })
    }
    fn storage(
        &self,
        at: H256,
        key: Vec<u8>,
    ) -> BoxFuture<'_, Result<Option<Vec<u8>>, BackendError>> {
        let result = self.block(at, |b| b.state.get(&key).cloned());
        Box::pin(async move { result })
    }
    fn storage_keys_paged(
        &self,
        at: H256,
        prefix: Vec<u8>,
        count: u32,
        start_key: Option<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Vec<Vec<u8>>, BackendError>> {
        let result = self.block(at, |b| {
            b.state
                .keys()
                .filter(|k| k.starts_with(&prefix))
                .filter(|k| start_key.as_ref().is_none_or(|s| *k > s))
                .take(count as usize)
                .cloned()
                .collect()
        });
        Box::pin(async move { result })
    }
    fn read_proof(
        &self,
        at: H256,
        keys: Vec<Vec<u8>>,
    ) -> BoxFuture<'_, Result<Vec<Vec<u8>>, BackendError>> {
        let result = self.block(at, |_| {
            keys.iter()
                .map(|k| [b"node:".as_slice(), k].concat())
                .collect()
        });
        Box::pin(async move { result })
    }
    fn submit(&self, extrinsic: Vec<u8>) -> BoxFuture<'_, Result<H256, SubmitError>> {
        let result = self.validate(&extrinsic).inspect(|_| {
            self.chain.lock().unwrap().pool.push(extrinsic.clone());
        });
        Box::pin(async move { result })
    }
    fn submit_and_watch(
        &self,
        extrinsic: Vec<u8>,
    ) -> BoxFuture<'_, Result<(H256, mpsc::UnboundedReceiver<TransactionStatus>), SubmitError>>
    {
        let result = self.validate(&extrinsic).map(|hash| {
            let (tx, rx) = mpsc::unbounded_channel();
            tx.send(TransactionStatus::Ready).unwrap();
            let mut chain = self.chain.lock().unwrap();
            chain.pool.push(extrinsic.clone());
            chain.watchers.push(tx);
            (hash, rx)
        });
        Box::pin(async move { result })
    }
    fn pending_extrinsics(&self) -> Vec<Vec<u8>> {
        self.chain.lock().unwrap().pool.clone()
    }
    fn remove_extrinsics(&self, hashes: Vec<H256>) -> Vec<H256> {
        let mut chain = self.chain.lock().unwrap();
        let mut removed = Vec::new();
        chain.pool.retain(|xt| {
            let hash = H256(blake2_256(xt));
            let keep = !hashes.contains(&hash);
            if !keep {
                removed.push(hash);
            }
            keep
        });
        removed
    }
    fn account_next_index(&self, account: [u8; 32]) -> BoxFuture<'_, Result<u32, BackendError>> {
        Box::pin(async move { Ok(u32::from(account[0])) })
    }
    fn subscribe_all_heads(&self) -> broadcast::Receiver<Header> {
        self.all_heads.subscribe()
    }
    fn subscribe_new_heads(&self) -> broadcast::Receiver<Header> {
        self.new_heads.subscribe()
    }
    fn subscribe_finalized_heads(&self) -> broadcast::Receiver<Header> {
        self.finalized.subscribe()
    }
}

// ---------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------

const TIMEOUT: Duration = Duration::from_secs(10);

async fn start_with(config: RpcConfig) -> (Arc<Mock>, RpcHandle) {
    let mock = Mock::new();
    let config = RpcConfig {
        listen_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..config
    };
    let handle = start_server(config, mock.clone())
        .await
        .expect("server starts");
    (mock, handle)
}

async fn start() -> (Arc<Mock>, RpcHandle) {
    start_with(RpcConfig {
        methods: RpcMethods::Unsafe,
        ..RpcConfig::default()
    })
    .await
}

type Stream = BufReader<BufWriter<Compat<TcpStream>>>;

struct Ws {
    sender: soketto::connection::Sender<Stream>,
    receiver: soketto::connection::Receiver<Stream>,
    next_id: u64,
    /// Messages read while waiting for something else.
    backlog: VecDeque<(String, Value)>,
}

impl Ws {
    async fn try_connect(addr: SocketAddr) -> Result<Self, String> {
        let socket = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
        let stream = BufReader::new(BufWriter::new(socket.compat()));
        let host = addr.to_string();
        let mut client = soketto::handshake::Client::new(stream, &host, "/");
        match client.handshake().await.map_err(|e| e.to_string())? {
            soketto::handshake::ServerResponse::Accepted { .. } => {}
            soketto::handshake::ServerResponse::Rejected { status_code } => {
                return Err(format!("rejected with {status_code}"))
            }
            soketto::handshake::ServerResponse::Redirect { .. } => return Err("redirect".into()),
        }
        let (sender, receiver) = client.into_builder().finish();
        Ok(Self {
            sender,
            receiver,
            next_id: 1,
            backlog: VecDeque::new(),
        })
    }

    async fn connect(addr: SocketAddr) -> Self {
        Self::try_connect(addr).await.expect("websocket connects")
    }

    async fn send_text(&mut self, text: &str) {
        self.sender.send_text(text).await.unwrap();
        self.sender.flush().await.unwrap();
    }

    /// The next message off the wire (raw text and parsed), ignoring the backlog.
    async fn read_raw(&mut self) -> (String, Value) {
        let mut data = Vec::new();
        tokio::time::timeout(TIMEOUT, self.receiver.receive_data(&mut data))
            .await
            .expect("a message within the timeout")
            .expect("connection open");
        let text = String::from_utf8(data).unwrap();
        let value = serde_json::from_str(&text).unwrap();
        (text, value)
    }

    async fn next_message(&mut self) -> (String, Value) {
        match self.backlog.pop_front() {
            Some(message) => message,
            None => self.read_raw().await,
        }
    }

    async fn request(&mut self, method: &str, params: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let request = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_text(&request.to_string()).await;
        id
    }

    /// The full response to a call (raw text and parsed); notifications that arrive first
    /// are kept for [`Ws::notification`].
    async fn call_raw(&mut self, method: &str, params: Value) -> (String, Value) {
        let id = self.request(method, params).await;
        loop {
            let (text, value) = self.read_raw().await;
            if value["id"] == json!(id) {
                assert_eq!(value["jsonrpc"], "2.0");
                return (text, value);
            }
            self.backlog.push_back((text, value));
        }
    }

    async fn call(&mut self, method: &str, params: Value) -> Value {
        let (_, response) = self.call_raw(method, params).await;
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    async fn call_err(&mut self, method: &str, params: Value) -> Value {
        let (_, response) = self.call_raw(method, params).await;
        assert!(
            response.get("result").is_none(),
            "{method} should fail: {response}"
        );
        response["error"].clone()
    }

    /// The next notification's `params` (`{"subscription","result"}`) and method name.
    async fn notification(&mut self) -> (String, Value) {
        let (_, value) = self.next_message().await;
        let method = value["method"]
            .as_str()
            .expect("a notification")
            .to_string();
        (method, value["params"].clone())
    }
}

/// One HTTP/1.1 request; returns status, headers (lowercase names) and body.
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, String) {
    let mut socket = TcpStream::connect(addr).await.unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    socket.write_all(request.as_bytes()).await.unwrap();
    // The server may answer (e.g. 413) before reading everything; a failed write is fine then.
    let _ = socket.write_all(body).await;
    let mut response = Vec::new();
    let _ = tokio::time::timeout(TIMEOUT, socket.read_to_end(&mut response))
        .await
        .expect("response in time");
    let text = String::from_utf8_lossy(&response).to_string();
    let (head, body) = text.split_once("\r\n\r\n").expect("a full HTTP response");
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let head = head.to_ascii_lowercase();
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, head, body)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
    out
}

async fn http_call(addr: SocketAddr, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params}).to_string();
    let (status, _, body) = http(addr, "POST", "/", &[], body.as_bytes()).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

/// Every method of SUBSTRATE-COMPAT §1.3 that Folio implements, with its aliases.
const EXPECTED_METHODS: &[&str] = &[
    "account_nextIndex",
    "author_hasKey",
    "author_hasSessionKeys",
    "author_insertKey",
    "author_pendingExtrinsics",
    "author_removeExtrinsic",
    "author_rotateKeys",
    "author_submitAndWatchExtrinsic",
    "author_submitExtrinsic",
    "author_unwatchExtrinsic",
    "chain_getBlock",
    "chain_getBlockHash",
    "chain_getFinalisedHead",
    "chain_getFinalizedHead",
    "chain_getHead",
    "chain_getHeader",
    "chain_getRuntimeVersion",
    "chain_subscribeAllHeads",
    "chain_subscribeFinalisedHeads",
    "chain_subscribeFinalizedHeads",
    "chain_subscribeNewHead",
    "chain_subscribeNewHeads",
    "chain_subscribeRuntimeVersion",
    "chain_unsubscribeAllHeads",
    "chain_unsubscribeFinalisedHeads",
    "chain_unsubscribeFinalizedHeads",
    "chain_unsubscribeNewHead",
    "chain_unsubscribeNewHeads",
    "chain_unsubscribeRuntimeVersion",
    "engine_createBlock",
    "engine_finalizeBlock",
    "grandpa_proveFinality",
    "grandpa_roundState",
    "grandpa_subscribeJustifications",
    "grandpa_unsubscribeJustifications",
    "payment_queryFeeDetails",
    "payment_queryInfo",
    "rpc_methods",
    "state_call",
    "state_callAt",
    "state_getKeysPaged",
    "state_getKeysPagedAt",
    "state_getMetadata",
    "state_getReadProof",
    "state_getRuntimeVersion",
    "state_getStorage",
    "state_getStorageAt",
    "state_getStorageHash",
    "state_getStorageHashAt",
    "state_getStorageSize",
    "state_getStorageSizeAt",
    "state_queryStorageAt",
    "state_subscribeRuntimeVersion",
    "state_subscribeStorage",
    "state_unsubscribeRuntimeVersion",
    "state_unsubscribeStorage",
    "subscribe_newHead",
    "system_accountNextIndex",
    "system_chain",
    "system_chainType",
    "system_dryRun",
    "system_dryRunAt",
    "system_health",
    "system_localListenAddresses",
    "system_localPeerId",
    "system_name",
    "system_nodeRoles",
    "system_peers",
    "system_properties",
    "system_syncState",
    "system_version",
    "unsubscribe_newHead",
];

#[tokio::test]
async fn rpc_methods_lists_every_method_and_nothing_else() {
    let (_mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let listing = ws.call("rpc_methods", json!([])).await;
    assert_eq!(listing["version"], 1);
    let methods: Vec<String> = serde_json::from_value(listing["methods"].clone()).unwrap();
    assert_eq!(methods, EXPECTED_METHODS);
    for name in &methods {
        assert!(
            !name.starts_with("chainHead_") && !name.starts_with("archive_"),
            "{name}"
        );
        assert!(
            !name.starts_with("transaction_") && !name.starts_with("transactionWatch_"),
            "{name}"
        );
        // Everything listed is implemented: no "Method not found".
        let (_, response) = ws.call_raw(name, json!([])).await;
        if let Some(error) = response.get("error") {
            assert_ne!(error["code"], -32601, "{name}: {response}");
        }
    }
}

#[tokio::test]
async fn headers_are_substrate_json_that_rehashes_to_the_block_hash() {
    let (mock, server) = start().await;
    mock.import(&[], None);
    let best = mock.import(&[], None);
    let mut ws = Ws::connect(server.local_addr()).await;
    let (raw, _) = ws.call_raw("chain_getHeader", json!([])).await;
    let json: Value = serde_json::from_str(&raw).unwrap();
    let header = &json["result"];
    // Field order and names exactly as Substrate writes them.
    let text = raw.split_once(r#""result":"#).unwrap().1;
    assert!(text.starts_with(r#"{"parentHash":"0x"#), "{text}");
    let keys = [
        "\"parentHash\"",
        "\"number\"",
        "\"stateRoot\"",
        "\"extrinsicsRoot\"",
        "\"digest\"",
    ];
    let positions: Vec<usize> = keys.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert_eq!(header["number"], "0x2");
    assert_eq!(header.as_object().unwrap().len(), 5);

    // Rebuild the SCALE header from the JSON, as polkadot-js does, and hash it.
    let h256 = |v: &Value| {
        H256(
            hex::decode(&v.as_str().unwrap()[2..])
                .unwrap()
                .try_into()
                .unwrap(),
        )
    };
    let logs = header["digest"]["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|log| {
            DigestItem::decode(&mut &hex::decode(&log.as_str().unwrap()[2..]).unwrap()[..]).unwrap()
        })
        .collect();
    let rebuilt = Header {
        parent_hash: h256(&header["parentHash"]),
        number: u32::from_str_radix(&header["number"].as_str().unwrap()[2..], 16).unwrap(),
        state_root: h256(&header["stateRoot"]),
        extrinsics_root: h256(&header["extrinsicsRoot"]),
        digest: Digest { logs },
    };
    assert_eq!(rebuilt, best);
    let hash = ws.call("chain_getBlockHash", json!([2])).await;
    assert_eq!(hash, rebuilt.hash().to_hex());

    // Unknown hash → null; genesis number is "0x0".
    assert_eq!(
        ws.call("chain_getHeader", json!([hex(&[9; 32])])).await,
        Value::Null
    );
    let genesis = ws.call("chain_getBlockHash", json!([0])).await;
    assert_eq!(
        ws.call("chain_getHeader", json!([genesis])).await["number"],
        "0x0"
    );
    // Also over HTTP.
    let over_http = http_call(server.local_addr(), "chain_getHeader", json!([null])).await;
    assert_eq!(over_http["result"]["number"], "0x2");
}

#[tokio::test]
async fn get_block_hash_accepts_none_number_hex_and_lists() {
    let (mock, server) = start().await;
    let one = mock.import(&[], None).hash().to_hex();
    let mut ws = Ws::connect(server.local_addr()).await;
    let genesis = mock.genesis_hash().to_hex();
    assert_eq!(ws.call("chain_getBlockHash", json!([])).await, one);
    assert_eq!(ws.call("chain_getBlockHash", json!([null])).await, one);
    assert_eq!(ws.call("chain_getHead", json!([])).await, one);
    assert_eq!(ws.call("chain_getBlockHash", json!([0])).await, genesis);
    assert_eq!(ws.call("chain_getBlockHash", json!(["0x1"])).await, one);
    assert_eq!(
        ws.call("chain_getBlockHash", json!([[0, "0x1", 99]])).await,
        json!([genesis, one, null])
    );
    assert_eq!(
        ws.call("chain_getBlockHash", json!([99])).await,
        Value::Null
    );
    let too_big = ws
        .call_err("chain_getBlockHash", json!(["0x100000000"]))
        .await;
    assert_eq!(too_big["code"], 3001);
    let bad = ws.call_err("chain_getBlockHash", json!(["one"])).await;
    assert_eq!(bad["code"], -32602);
    assert_eq!(ws.call("chain_getFinalizedHead", json!([])).await, one);
    assert_eq!(ws.call("chain_getFinalisedHead", json!([])).await, one);
}

#[tokio::test]
async fn blocks_carry_full_extrinsic_encodings_and_null_justifications() {
    let (mock, server) = start().await;
    let xt = extrinsic(&[4, 1, 2, 3]);
    mock.submit(xt.clone()).await.unwrap();
    let block = mock.import(&[], None);
    let mut ws = Ws::connect(server.local_addr()).await;
    let result = ws
        .call("chain_getBlock", json!([block.hash().to_hex()]))
        .await;
    assert_eq!(result["justifications"], Value::Null);
    assert_eq!(result["block"]["extrinsics"], json!([hex(&xt)]));
    assert_eq!(result["block"]["header"]["number"], "0x1");
    assert_eq!(
        ws.call("chain_getBlock", json!([hex(&[1; 32])])).await,
        Value::Null
    );
}

#[tokio::test]
async fn runtime_version_json_has_substrates_exact_fields() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let (raw, _) = ws.call_raw("state_getRuntimeVersion", json!([])).await;
    let expected = r#"{"specName":"folio","implName":"folio-node","authoringVersion":1,"specVersion":100,"implVersion":0,"apis":[["0xdf6acb689907609b",5],["0x37e397fc7c91f5e4",2],["0xbc9d89904f5b923f",1]],"transactionVersion":1,"systemVersion":1,"stateVersion":1}"#;
    assert!(raw.contains(&format!(r#""result":{expected}"#)), "{raw}");
    // At the genesis hash, and through the chain_ alias.
    let genesis = mock.genesis_hash().to_hex();
    let at_genesis = ws.call("chain_getRuntimeVersion", json!([genesis])).await;
    assert_eq!(at_genesis["specVersion"], 100);
    let unknown = ws
        .call_err("state_getRuntimeVersion", json!([hex(&[3; 32])]))
        .await;
    assert_eq!(unknown["code"], 4003);
}

#[tokio::test]
async fn metadata_is_the_raw_meta_prefixed_bytes() {
    let (_mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let metadata = ws.call("state_getMetadata", json!([])).await;
    assert!(
        metadata.as_str().unwrap().starts_with("0x6d657461"),
        "{metadata}"
    );
}

#[tokio::test]
async fn state_reads_answer_substrates_shapes() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let best = mock.best_hash().to_hex();
    let (k1, k2, absent) = (hex(b"k1"), hex(b"k2"), hex(b"zz"));

    let sets = ws.call("state_queryStorageAt", json!([[k1, absent]])).await;
    assert_eq!(
        sets,
        json!([{"block": best, "changes": [[k1, hex(b"v1")], [absent, null]]}])
    );

    assert_eq!(ws.call("state_getStorage", json!([k2])).await, hex(b"v2"));
    assert_eq!(
        ws.call("state_getStorageAt", json!([k2, best])).await,
        hex(b"v2")
    );
    assert_eq!(
        ws.call("state_getStorage", json!([absent])).await,
        Value::Null
    );
    assert_eq!(ws.call("state_getStorageSize", json!([k2])).await, 2);
    assert_eq!(
        ws.call("state_getStorageHash", json!([k2])).await,
        H256(blake2_256(b"v2")).to_hex()
    );
    assert_eq!(
        ws.call("state_getKeysPaged", json!([hex(b"k"), 10])).await,
        json!([k1, k2])
    );
    assert_eq!(
        ws.call("state_getKeysPaged", json!([hex(b"k"), 10, k1]))
            .await,
        json!([k2])
    );
    assert_eq!(
        ws.call("state_getKeysPaged", json!([null, 1])).await,
        json!([k1])
    );
    let too_many = ws.call_err("state_getKeysPaged", json!(["0x", 1001])).await;
    assert_eq!(too_many["code"], 4002);
    let proof = ws.call("state_getReadProof", json!([[k1]])).await;
    assert_eq!(proof, json!({"at": best, "proof": [hex(b"node:k1")]}));
    assert_eq!(
        ws.call("state_call", json!(["Echo", "0x0102"])).await,
        "0x0102"
    );
    assert_eq!(
        ws.call("state_callAt", json!(["Echo", "0x0102", best]))
            .await,
        "0x0102"
    );
    let failed = ws.call_err("state_call", json!(["Nope", "0x"])).await;
    assert_eq!(failed["code"], 4003);
}

#[tokio::test]
async fn state_call_refuses_the_runtime_benchmark_entries() {
    let (_mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    for method in [
        "FolioBenchmark_list",
        "FolioBenchmark_setup",
        "FolioBenchmark_dispatch",
    ] {
        let refused = ws.call_err("state_call", json!([method, "0x"])).await;
        assert_eq!(refused["code"], 4003, "{method}");
        assert!(
            refused["message"]
                .as_str()
                .is_some_and(|m| m.contains("benchmark")),
            "{refused}"
        );
    }
    // Other names still reach the runtime.
    assert_eq!(ws.call("state_call", json!(["Echo", "0x01"])).await, "0x01");
}

#[tokio::test]
async fn bad_hex_and_bad_params_are_invalid_params() {
    let (_mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let cases = [
        ("state_getStorage", json!(["0xzz"])),
        ("state_getStorage", json!([])),
        ("chain_getHeader", json!(["0x1234"])),
        ("state_call", json!(["Echo", "nothex"])),
        ("author_submitExtrinsic", json!([12])),
        ("system_accountNextIndex", json!(["not-an-address"])),
        ("state_getKeysPaged", json!(["0x", -1])),
        ("chain_getHeader", json!({"hash": null})),
    ];
    for (method, params) in cases {
        let error = ws.call_err(method, params.clone()).await;
        assert_eq!(error["code"], -32602, "{method} {params}: {error}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .starts_with("Invalid params"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn system_methods_answer_substrates_shapes() {
    let (_mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    assert_eq!(ws.call("system_chain", json!([])).await, "Development");
    assert_eq!(ws.call("system_name", json!([])).await, "folio-node");
    assert_eq!(ws.call("system_version", json!([])).await, "0.1.0");
    assert_eq!(ws.call("system_chainType", json!([])).await, "Development");
    assert_eq!(
        ws.call("system_properties", json!([])).await,
        json!({"ss58Format": 42, "tokenDecimals": 12, "tokenSymbol": "FOLIO"})
    );
    let (raw, _) = ws.call_raw("system_health", json!([])).await;
    assert!(
        raw.contains(r#""result":{"peers":0,"isSyncing":false,"shouldHavePeers":false}"#),
        "{raw}"
    );
    assert_eq!(
        ws.call("system_nodeRoles", json!([])).await,
        json!(["Authority"])
    );
    assert_eq!(ws.call("system_peers", json!([])).await, json!([]));
    assert_eq!(
        ws.call("system_localListenAddresses", json!([])).await,
        json!([])
    );
    assert!(ws
        .call("system_localPeerId", json!([]))
        .await
        .as_str()
        .unwrap()
        .starts_with("12D3KooW"));
    assert_eq!(
        ws.call("system_syncState", json!([])).await,
        json!({"startingBlock": 0, "currentBlock": 0, "highestBlock": 0})
    );
    // Alice, as SS58 and as hex (the mock's nonce is the first key byte: 0xd4).
    let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
    assert_eq!(
        ws.call("system_accountNextIndex", json!([alice])).await,
        0xd4
    );
    let alice_hex = "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
    assert_eq!(ws.call("account_nextIndex", json!([alice_hex])).await, 0xd4);
    // Dry run: SCALE Ok(Ok(())).
    assert_eq!(
        ws.call("system_dryRun", json!([hex(&extrinsic(&[4, 0]))]))
            .await,
        "0x0000"
    );
    let undecodable = ws.call_err("system_dryRun", json!(["0x0c01"])).await;
    assert_eq!(undecodable["code"], 2);
    // payment_queryInfo: fee as a decimal string (128-bit safe).
    let xt = extrinsic(&[4, 0]);
    let info = ws.call("payment_queryInfo", json!([hex(&xt)])).await;
    assert_eq!(
        info,
        json!({"weight": {"refTime": 1000, "proofSize": 64}, "class": "normal", "partialFee": "1000000000000000000003"})
    );
    // payment_queryFeeDetails: each part as hex, no leading zeros, no tip (Substrate's JSON).
    assert_eq!(
        ws.call("payment_queryFeeDetails", json!([hex(&xt)])).await,
        json!({"inclusionFee": {"baseFee": "0x1", "lenFee": "0x3", "adjustedWeightFee": "0x10000000000000000000000000"}})
    );
    let undecodable = ws
        .call_err("payment_queryFeeDetails", json!(["0x0c01"]))
        .await;
    assert_eq!(undecodable["code"], 2);
    assert_eq!(undecodable["message"], "Unable to query fee details.");
    // GET /health answers like system_health.
    let (status, _, body) = http(server.local_addr(), "GET", "/health", &[], b"").await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["shouldHavePeers"],
        false
    );
}

/// A block imported on a side branch (not best) reaches `chain_subscribeAllHeads` only;
/// `chain_subscribeNewHeads` hears the next best block.
#[tokio::test]
async fn all_heads_sees_side_blocks_that_new_heads_does_not() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let all = ws.call("chain_subscribeAllHeads", json!([])).await;
    let (_, params) = ws.notification().await;
    assert_eq!(
        (&params["subscription"], &params["result"]["number"]),
        (&all, &json!("0x0"))
    );
    let new = ws.call("chain_subscribeNewHeads", json!([])).await;
    let (_, params) = ws.notification().await;
    assert_eq!(
        (&params["subscription"], &params["result"]["number"]),
        (&new, &json!("0x0"))
    );
    let side = Header {
        parent_hash: H256([0x51; 32]),
        number: 7,
        state_root: H256([7; 32]),
        extrinsics_root: H256([0xee; 32]),
        digest: Digest::default(),
    };
    let _ = mock.all_heads.send(side);
    let (method, params) = ws.notification().await;
    assert_eq!(method, "chain_allHead");
    assert_eq!(params["result"]["number"], "0x7");
    mock.import(&[], None);
    let mut seen = Vec::new();
    for _ in 0..2 {
        let (method, params) = ws.notification().await;
        seen.push((method, params["result"]["number"].clone()));
    }
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        seen,
        vec![
            ("chain_allHead".to_string(), json!("0x1")),
            ("chain_newHead".to_string(), json!("0x1"))
        ],
        "the side block never reached new heads"
    );
}

#[tokio::test]
async fn new_heads_subscription_sends_the_best_header_first() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let id = ws.call("chain_subscribeNewHeads", json!([])).await;
    assert!(id.is_string());
    let (method, params) = ws.notification().await;
    assert_eq!(method, "chain_newHead");
    assert_eq!(params["subscription"], id);
    assert_eq!(params["result"]["number"], "0x0");
    mock.import(&[], None);
    let (_, params) = ws.notification().await;
    assert_eq!(params["result"]["number"], "0x1");
    assert_eq!(
        ws.call("chain_unsubscribeNewHeads", json!([id])).await,
        true
    );

    // Aliases and the finalized / all-heads streams.
    let alias = ws.call("subscribe_newHead", json!([])).await;
    let (method, params) = ws.notification().await;
    assert_eq!(
        (method.as_str(), &params["subscription"]),
        ("chain_newHead", &alias)
    );
    let finalized = ws.call("chain_subscribeFinalisedHeads", json!([])).await;
    let (method, params) = ws.notification().await;
    assert_eq!(
        (method.as_str(), &params["subscription"]),
        ("chain_finalizedHead", &finalized)
    );
    assert_eq!(params["result"]["number"], "0x1");
    let all = ws.call("chain_subscribeAllHeads", json!([])).await;
    let (method, _) = ws.notification().await;
    assert_eq!(method, "chain_allHead");
    assert_eq!(ws.call("unsubscribe_newHead", json!([alias])).await, true);
    assert_eq!(
        ws.call("chain_unsubscribeFinalizedHeads", json!([finalized]))
            .await,
        true
    );
    assert_eq!(
        ws.call("chain_unsubscribeAllHeads", json!([all])).await,
        true
    );
}

#[tokio::test]
async fn storage_subscription_sends_all_keys_then_only_changes() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let (k1, k2, k3) = (hex(b"k1"), hex(b"k2"), hex(b"k3"));
    let id = ws
        .call("state_subscribeStorage", json!([[k1, k2, k3]]))
        .await;
    let (method, params) = ws.notification().await;
    assert_eq!(method, "state_storage");
    assert_eq!(params["subscription"], id);
    assert_eq!(
        params["result"],
        json!({"block": mock.best_hash().to_hex(), "changes": [[k1, hex(b"v1")], [k2, hex(b"v2")], [k3, null]]})
    );

    let changed_k1 = mock.import(&[(b"k1", Some(b"new"))], None);
    let (_, params) = ws.notification().await;
    assert_eq!(
        params["result"],
        json!({"block": changed_k1.hash().to_hex(), "changes": [[k1, hex(b"new")]]})
    );

    // A block touching none of the keys sends nothing: the next notification is for the
    // block after it.
    mock.import(&[(b"other", Some(b"x"))], None);
    let removed_k2 = mock.import(&[(b"k2", None), (b"k3", Some(b"3"))], None);
    let (_, params) = ws.notification().await;
    assert_eq!(
        params["result"],
        json!({"block": removed_k2.hash().to_hex(), "changes": [[k2, null], [k3, hex(b"3")]]})
    );
    assert_eq!(ws.call("state_unsubscribeStorage", json!([id])).await, true);
}

#[tokio::test]
async fn runtime_version_subscription_notifies_only_on_change() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let id = ws.call("state_subscribeRuntimeVersion", json!([])).await;
    let (method, params) = ws.notification().await;
    assert_eq!(method, "state_runtimeVersion");
    assert_eq!(params["subscription"], id);
    assert_eq!(params["result"]["specVersion"], 100);
    mock.import(&[], None);
    mock.import(&[], Some(101));
    let (_, params) = ws.notification().await;
    assert_eq!(params["result"]["specVersion"], 101);
    assert_eq!(
        ws.call("chain_unsubscribeRuntimeVersion", json!([id]))
            .await,
        true
    );
}

#[tokio::test]
async fn submit_and_watch_answers_before_ready_then_in_block_then_finalized() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let xt = extrinsic(&[4, 7, 7]);
    let id = ws
        .request("author_submitAndWatchExtrinsic", json!([hex(&xt)]))
        .await;
    // The subscription response is the very first message.
    let (_, response) = ws.read_raw().await;
    assert_eq!(response["id"], id, "{response}");
    let sub = response["result"].clone();
    assert!(sub.is_string());
    let (_, ready) = ws.read_raw().await;
    assert_eq!(ready["method"], "author_extrinsicUpdate");
    assert_eq!(
        ready["params"],
        json!({"subscription": sub, "result": "ready"})
    );
    assert_eq!(
        ws.call("author_pendingExtrinsics", json!([])).await,
        json!([hex(&xt)])
    );

    let block = mock.import(&[], None).hash().to_hex();
    let (_, params) = ws.notification().await;
    assert_eq!(params["result"], json!({"inBlock": block}));
    let (_, params) = ws.notification().await;
    assert_eq!(params["result"], json!({"finalized": block}));
    // subxt unwatches after the final status; Substrate answers true.
    assert_eq!(ws.call("author_unwatchExtrinsic", json!([sub])).await, true);

    // author_submitExtrinsic returns the transaction hash.
    let xt2 = extrinsic(&[4, 8]);
    assert_eq!(
        ws.call("author_submitExtrinsic", json!([hex(&xt2)])).await,
        H256(blake2_256(&xt2)).to_hex()
    );
}

#[tokio::test]
async fn refused_transactions_fail_the_call_with_substrates_codes() {
    let (_mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let bad_signature = hex(&extrinsic(&[BAD_SIGNATURE, 1]));
    for method in ["author_submitAndWatchExtrinsic", "author_submitExtrinsic"] {
        let error = ws.call_err(method, json!([bad_signature])).await;
        assert_eq!(
            error,
            json!({"code": 1010, "message": "Invalid Transaction", "data": "Transaction has a bad signature"})
        );
        // Length prefix says 3 bytes, 1 follows.
        let error = ws.call_err(method, json!(["0x0c01"])).await;
        assert_eq!(error["code"], 1001, "{error}");
        assert!(error["message"]
            .as_str()
            .unwrap()
            .starts_with("Extrinsic has invalid format: "));
    }
    // Nothing was subscribed: the connection has no stray notification.
    assert_eq!(ws.call("system_health", json!([])).await["peers"], 0);
    assert!(ws.backlog.is_empty());
}

#[tokio::test]
async fn malformed_json_gets_a_parse_error_and_the_server_keeps_serving() {
    let (_mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    ws.send_text("{not json").await;
    let (_, error) = ws.read_raw().await;
    assert_eq!(error["error"]["code"], -32700, "{error}");
    assert_eq!(error["id"], Value::Null);
    assert_eq!(ws.call("system_chain", json!([])).await, "Development");

    let unknown = ws.call_err("no_suchMethod", json!([])).await;
    assert_eq!(unknown["code"], -32601);

    // jsonrpsee (and so Substrate) answers a parse error with HTTP 200 and a JSON-RPC error.
    let (status, _, body) = http(server.local_addr(), "POST", "/", &[], b"{\"jsonrpc\":").await;
    assert_eq!(status, 200);
    assert!(body.contains("-32700"), "{body}");
    assert_eq!(
        http_call(server.local_addr(), "system_chain", json!([])).await["result"],
        "Development"
    );
}

#[tokio::test]
async fn unsafe_methods_are_refused_in_safe_mode_but_still_listed() {
    let (_mock, server) = start_with(RpcConfig::default()).await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let unsafe_calls = [
        ("author_removeExtrinsic", json!([[{"hash": hex(&[1; 32])}]])),
        ("system_dryRun", json!([hex(&extrinsic(&[4]))])),
        ("system_dryRunAt", json!([hex(&extrinsic(&[4]))])),
        ("system_peers", json!([])),
        ("state_subscribeStorage", json!([])),
    ];
    for (method, params) in unsafe_calls {
        let error = ws.call_err(method, params).await;
        assert_eq!(
            error,
            json!({"code": -32601, "message": "RPC call is unsafe to be called externally"}),
            "{method}"
        );
    }
    let listing = ws.call("rpc_methods", json!([])).await;
    assert!(listing["methods"]
        .as_array()
        .unwrap()
        .contains(&json!("system_dryRun")));
    // Safe methods still work.
    assert_eq!(ws.call("system_chain", json!([])).await, "Development");
}

#[tokio::test]
async fn remove_extrinsic_works_in_unsafe_mode() {
    let (mock, server) = start().await;
    let xt = extrinsic(&[4, 9]);
    mock.submit(xt.clone()).await.unwrap();
    let mut ws = Ws::connect(server.local_addr()).await;
    let hash = H256(blake2_256(&xt)).to_hex();
    let removed = ws
        .call("author_removeExtrinsic", json!([[{"extrinsic": hex(&xt)}]]))
        .await;
    assert_eq!(removed, json!([hash]));
    assert_eq!(
        ws.call("author_pendingExtrinsics", json!([])).await,
        json!([])
    );
    let error = ws.call_err("state_subscribeStorage", json!([])).await;
    assert_eq!(error["code"], 4003);
}

#[tokio::test]
async fn oversized_requests_are_refused() {
    let config = RpcConfig {
        max_request_size: 1024,
        ..RpcConfig::default()
    };
    let (_mock, server) = start_with(config).await;
    let big = hex(&vec![0u8; 2048]);
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "state_getStorage", "params": [big]})
        .to_string();
    let (status, _, response) = http(server.local_addr(), "POST", "/", &[], body.as_bytes()).await;
    assert_eq!(status, 413, "{response}");
    assert!(response.contains("-32007"), "{response}");

    let mut ws = Ws::connect(server.local_addr()).await;
    ws.send_text(&body).await;
    let (_, error) = ws.read_raw().await;
    assert_eq!(error["error"]["code"], -32007, "{error}");
}

#[tokio::test]
async fn too_many_subscriptions_are_refused() {
    let config = RpcConfig {
        max_subscriptions_per_connection: 2,
        ..RpcConfig::default()
    };
    let (_mock, server) = start_with(config).await;
    let mut ws = Ws::connect(server.local_addr()).await;
    ws.call("chain_subscribeNewHeads", json!([])).await;
    ws.call("state_subscribeRuntimeVersion", json!([])).await;
    let error = ws
        .call_err("chain_subscribeFinalizedHeads", json!([]))
        .await;
    assert_eq!(error["code"], -32006, "{error}");
}

#[tokio::test]
async fn connection_and_batch_limits_are_enforced() {
    let config = RpcConfig {
        max_connections: 1,
        max_batch_size: 2,
        ..RpcConfig::default()
    };
    let (_mock, server) = start_with(config).await;
    let mut first = Ws::connect(server.local_addr()).await;
    let second = Ws::try_connect(server.local_addr()).await;
    assert_eq!(second.err().as_deref(), Some("rejected with 429"));

    let call = json!({"jsonrpc": "2.0", "id": 1, "method": "system_chain"});
    first.send_text(&json!([call, call]).to_string()).await;
    let (_, ok) = first.read_raw().await;
    assert_eq!(ok.as_array().unwrap().len(), 2, "{ok}");
    first
        .send_text(&json!([call, call, call]).to_string())
        .await;
    let (_, error) = first.read_raw().await;
    assert_eq!(error["error"]["code"], -32010, "{error}");
}

#[tokio::test]
async fn browser_origins_are_checked_against_cors() {
    let (_mock, server) = start_with(RpcConfig::default()).await;
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "system_chain"}).to_string();
    let addr = server.local_addr();
    let (status, head, _) = http(
        addr,
        "POST",
        "/",
        &[("Origin", "http://localhost:3000")],
        body.as_bytes(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        head.contains("access-control-allow-origin: http://localhost:3000"),
        "{head}"
    );
    let (status, _, _) = http(
        addr,
        "POST",
        "/",
        &[("Origin", "https://evil.example")],
        body.as_bytes(),
    )
    .await;
    assert_eq!(status, 403);
    let (status, head, _) = http(
        addr,
        "OPTIONS",
        "/",
        &[("Origin", "https://polkadot.js.org")],
        b"",
    )
    .await;
    assert_eq!(status, 200);
    assert!(head.contains("access-control-allow-methods"), "{head}");
}

#[tokio::test]
async fn stopping_the_server_frees_it() {
    let (_mock, server) = start().await;
    let addr = server.local_addr();
    assert_ne!(addr.port(), 0);
    server.stop();
    server.stop();
    tokio::time::timeout(TIMEOUT, server.stopped())
        .await
        .expect("stops");
    assert!(TcpStream::connect(addr).await.is_err() || Ws::try_connect(addr).await.is_err());
}

// ---------------------------------------------------------------------------------------
// The new JSON-RPC spec (paritytech/json-rpc-interface-spec): chainSpec, transaction,
// transactionWatch
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn chain_spec_v1_answers_name_genesis_hash_and_properties() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    assert_eq!(
        ws.call("chainSpec_v1_chainName", json!([])).await,
        "Development"
    );
    assert_eq!(
        ws.call("chainSpec_v1_genesisHash", json!([])).await,
        mock.genesis_hash().to_hex()
    );
    assert_eq!(
        ws.call("chainSpec_v1_properties", json!([])).await,
        json!({"ss58Format": 42, "tokenDecimals": 12, "tokenSymbol": "FOLIO"})
    );
}

#[tokio::test]
async fn transaction_watch_v1_reports_validated_best_chain_block_included_then_finalized() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let xt = extrinsic(&[4, 7, 7]);
    let sub = ws
        .call("transactionWatch_v1_submitAndWatch", json!([hex(&xt)]))
        .await;
    assert!(sub.is_string(), "{sub}");
    let (method, params) = ws.notification().await;
    assert_eq!(method, "transactionWatch_v1_watchEvent");
    assert_eq!(
        params,
        json!({"subscription": sub, "result": {"event": "validated"}})
    );
    let block = mock.import(&[], None).hash().to_hex();
    let (_, params) = ws.notification().await;
    assert_eq!(
        params["result"],
        json!({"event": "bestChainBlockIncluded", "block": {"hash": block, "index": 0}})
    );
    let (_, params) = ws.notification().await;
    assert_eq!(
        params["result"],
        json!({"event": "finalized", "block": {"hash": block, "index": 0}})
    );
    // The watch ended with `finalized`: unwatching it now is an error, as the spec says.
    let error = ws
        .call_err("transactionWatch_v1_unwatch", json!([sub]))
        .await;
    assert_eq!(error["code"], -32602, "{error}");

    // A running watch unwatches with `null`, once.
    let sub = ws
        .call(
            "transactionWatch_v1_submitAndWatch",
            json!([hex(&extrinsic(&[4, 9]))]),
        )
        .await;
    let (_, params) = ws.notification().await;
    assert_eq!(params["result"]["event"], "validated");
    assert_eq!(
        ws.call("transactionWatch_v1_unwatch", json!([sub])).await,
        Value::Null
    );
    ws.call_err("transactionWatch_v1_unwatch", json!([sub]))
        .await;
}

#[tokio::test]
async fn transaction_watch_v1_tells_refusals_as_events_and_bad_hex_as_an_error() {
    let (_mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let error = ws
        .call_err("transactionWatch_v1_submitAndWatch", json!(["0xzz"]))
        .await;
    assert_eq!(error["code"], -32602, "{error}");
    // Bad signature; then a length prefix saying 3 bytes with 1 following.
    for bytes in [hex(&extrinsic(&[BAD_SIGNATURE, 1])), "0x0c01".to_string()] {
        let sub = ws
            .call("transactionWatch_v1_submitAndWatch", json!([bytes]))
            .await;
        let (_, params) = ws.notification().await;
        assert_eq!(params["subscription"], sub);
        assert_eq!(params["result"]["event"], "invalid", "{params}");
        assert!(params["result"]["error"].is_string(), "{params}");
    }
}

#[tokio::test]
async fn transaction_v1_broadcast_submits_counts_operations_and_stops_them() {
    let (mock, server) = start_with(RpcConfig {
        methods: RpcMethods::Unsafe,
        max_broadcasts_per_connection: 2,
        ..RpcConfig::default()
    })
    .await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let (a, b, c) = (extrinsic(&[4, 1]), extrinsic(&[4, 2]), extrinsic(&[4, 3]));
    let first = ws.call("transaction_v1_broadcast", json!([hex(&a)])).await;
    let second = ws.call("transaction_v1_broadcast", json!([hex(&b)])).await;
    assert!(first.is_string() && second.is_string() && first != second);
    // The limit reached: `null`, and nothing submitted.
    assert_eq!(
        ws.call("transaction_v1_broadcast", json!([hex(&c)])).await,
        Value::Null
    );
    assert_eq!(mock.pending_extrinsics(), vec![a.clone(), b.clone()]);
    // Another connection has its own allowance, and cannot stop this one's operations.
    let mut other = Ws::connect(server.local_addr()).await;
    other.call_err("transaction_v1_stop", json!([first])).await;
    assert!(other
        .call("transaction_v1_broadcast", json!([hex(&c)]))
        .await
        .is_string());

    assert_eq!(
        ws.call("transaction_v1_stop", json!([first])).await,
        Value::Null
    );
    let error = ws.call_err("transaction_v1_stop", json!([first])).await;
    assert_eq!(error["code"], -32602, "{error}");
    // Stopping freed a slot. An invalid transaction is accepted silently (the spec) and its
    // operation ends by itself.
    let invalid = ws
        .call(
            "transaction_v1_broadcast",
            json!([hex(&extrinsic(&[BAD_SIGNATURE, 1]))]),
        )
        .await;
    assert!(invalid.is_string());
    // Its slot comes free without a stop: a new broadcast is accepted again.
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    let d = extrinsic(&[4, 4]);
    while ws
        .call("transaction_v1_broadcast", json!([hex(&d)]))
        .await
        .is_null()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the invalid broadcast never ended"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Inclusion ends the remaining operation too.
    mock.import(&[], None);
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let (_, response) = ws.call_raw("transaction_v1_stop", json!([second])).await;
        if response.get("error").is_some() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{response}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn archive_v1_reads_any_block_by_hash_or_height() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let genesis = mock.genesis_hash();
    let xt = extrinsic(&[4, 5, 6]);
    mock.submit(xt.clone()).await.unwrap();
    let block = mock.import(&[], None);
    let hash = block.hash().to_hex();
    assert_eq!(
        ws.call("archive_v1_genesisHash", json!([])).await,
        genesis.to_hex()
    );
    assert_eq!(ws.call("archive_v1_finalizedHeight", json!([])).await, 1);
    assert_eq!(
        ws.call("archive_v1_hashByHeight", json!([1])).await,
        json!([hash])
    );
    assert_eq!(
        ws.call("archive_v1_hashByHeight", json!([9])).await,
        json!([])
    );
    // The header is its SCALE encoding, which hashes to the block hash.
    let header = ws.call("archive_v1_header", json!([hash])).await;
    let bytes = hex::decode(header.as_str().unwrap().trim_start_matches("0x")).unwrap();
    assert_eq!(H256(blake2_256(&bytes)).to_hex(), hash);
    assert_eq!(Header::decode(&mut &bytes[..]).unwrap(), block);
    assert_eq!(
        ws.call("archive_v1_body", json!([hash])).await,
        json!([hex(&xt)])
    );
    let unknown = H256([9; 32]).to_hex();
    assert_eq!(
        ws.call("archive_v1_header", json!([unknown])).await,
        Value::Null
    );
    assert_eq!(
        ws.call("archive_v1_body", json!([unknown])).await,
        Value::Null
    );
    assert_eq!(
        ws.call("archive_v1_call", json!([unknown, "Echo", "0x01"]))
            .await,
        Value::Null
    );
    assert_eq!(
        ws.call("archive_v1_call", json!([hash, "Echo", "0x0102"]))
            .await,
        json!({"success": true, "value": "0x0102"})
    );
    let failed = ws
        .call("archive_v1_call", json!([hash, "Nope_nope", "0x"]))
        .await;
    assert_eq!(failed["success"], false, "{failed}");
    assert!(failed["error"].is_string(), "{failed}");
    let error = ws.call_err("archive_v1_header", json!(["0x12"])).await;
    assert_eq!(error["code"], -32602, "{error}");
}

// ---------------------------------------------------------------------------------------
// chainHead_v1_* and archive_v1_storage (the new JSON-RPC spec)
// ---------------------------------------------------------------------------------------

/// Follows with `with_runtime`; the subscription id and the `initialized` event's result.
async fn follow(ws: &mut Ws, with_runtime: bool) -> (Value, Value) {
    let sub = ws.call("chainHead_v1_follow", json!([with_runtime])).await;
    assert!(sub.is_string(), "{sub}");
    // Other subscriptions' notifications stay queued, in order, for later reads.
    let mut others = Vec::new();
    let initialized = loop {
        let message = ws.next_message().await;
        if message.1["params"]["subscription"] == sub {
            assert_eq!(message.1["method"], "chainHead_v1_followEvent");
            break message.1["params"]["result"].clone();
        }
        others.push(message);
    };
    for message in others.into_iter().rev() {
        ws.backlog.push_front(message);
    }
    (sub, initialized)
}

/// The next follow event's result, checked to belong to `sub`.
async fn follow_event(ws: &mut Ws, sub: &Value) -> Value {
    let (method, params) = ws.notification().await;
    assert_eq!(method, "chainHead_v1_followEvent");
    assert_eq!(&params["subscription"], sub, "{params}");
    params["result"].clone()
}

/// Starts an operation; its id (the answer must be `started`).
async fn operation(ws: &mut Ws, method: &str, params: Value) -> Value {
    let answer = ws.call(method, params).await;
    assert_eq!(answer["result"], "started", "{answer}");
    answer["operationId"].clone()
}

#[tokio::test]
async fn chain_head_v1_follow_reports_initialized_new_block_best_and_finalized() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let genesis = mock.genesis_hash().to_hex();
    let (sub, initialized) = follow(&mut ws, true).await;
    let core = hex(&apis::CORE.0);
    assert_eq!(
        initialized,
        json!({
            "event": "initialized",
            "finalizedBlockHashes": [genesis],
            "finalizedBlockRuntime": {"type": "valid", "spec": {
                "specName": "folio", "implName": "folio-node", "specVersion": 100,
                "implVersion": 0, "transactionVersion": 1,
                "apis": {
                    core.clone(): apis::CORE.1,
                    hex(&apis::METADATA.0): apis::METADATA.1,
                    hex(&apis::ACCOUNT_NONCE.0): apis::ACCOUNT_NONCE.1,
                },
            }},
        })
    );
    let first = mock.import(&[], None).hash().to_hex();
    assert_eq!(
        follow_event(&mut ws, &sub).await,
        json!({"event": "newBlock", "blockHash": first, "parentBlockHash": genesis, "newRuntime": null})
    );
    assert_eq!(
        follow_event(&mut ws, &sub).await,
        json!({"event": "bestBlockChanged", "bestBlockHash": first})
    );
    assert_eq!(
        follow_event(&mut ws, &sub).await,
        json!({"event": "finalized", "finalizedBlockHashes": [first], "prunedBlockHashes": []})
    );
    // A runtime upgrade is told in the block that carries it.
    let upgraded = mock.import(&[], Some(101)).hash().to_hex();
    let event = follow_event(&mut ws, &sub).await;
    assert_eq!(event["blockHash"], upgraded);
    assert_eq!(event["parentBlockHash"], first);
    assert_eq!(event["newRuntime"]["type"], "valid", "{event}");
    assert_eq!(event["newRuntime"]["spec"]["specVersion"], 101, "{event}");
    follow_event(&mut ws, &sub).await; // bestBlockChanged
    follow_event(&mut ws, &sub).await; // finalized

    // Without `withRuntime` no runtime fields at all.
    let (plain, initialized) = follow(&mut ws, false).await;
    assert_eq!(
        initialized,
        json!({"event": "initialized", "finalizedBlockHashes": [upgraded]})
    );
    let next = mock.import(&[], None).hash().to_hex();
    // Both subscriptions see the block; the events of each arrive in order.
    let mut seen = Vec::new();
    while seen.len() < 6 {
        let (_, params) = ws.notification().await;
        seen.push(params);
    }
    let plain_events: Vec<&Value> = seen
        .iter()
        .filter(|p| p["subscription"] == plain)
        .map(|p| &p["result"])
        .collect();
    assert_eq!(
        plain_events[0],
        &json!({"event": "newBlock", "blockHash": next, "parentBlockHash": upgraded})
    );
    // Unfollow answers null, and the subscription is gone: its blocks read as not pinned.
    assert_eq!(
        ws.call("chainHead_v1_unfollow", json!([plain])).await,
        Value::Null
    );
    assert_eq!(
        ws.call("chainHead_v1_header", json!([plain, next])).await,
        Value::Null
    );
    assert_eq!(
        ws.call("chainHead_v1_unfollow", json!([plain])).await,
        Value::Null
    );
}

#[tokio::test]
async fn chain_head_v1_header_body_call_and_unpin_work_on_pinned_blocks_only() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let (sub, _) = follow(&mut ws, true).await;
    let xt = extrinsic(&[4, 1, 2]);
    mock.submit(xt.clone()).await.unwrap();
    let block = mock.import(&[], None);
    let hash = block.hash().to_hex();
    for _ in 0..3 {
        follow_event(&mut ws, &sub).await;
    }
    let header = ws.call("chainHead_v1_header", json!([sub, hash])).await;
    let bytes = hex::decode(header.as_str().unwrap().trim_start_matches("0x")).unwrap();
    assert_eq!(Header::decode(&mut &bytes[..]).unwrap(), block);

    let op = operation(&mut ws, "chainHead_v1_body", json!([sub, hash])).await;
    assert_eq!(
        follow_event(&mut ws, &sub).await,
        json!({"event": "operationBodyDone", "operationId": op, "value": [hex(&xt)]})
    );
    let op = operation(
        &mut ws,
        "chainHead_v1_call",
        json!([sub, hash, "Echo", "0x0506"]),
    )
    .await;
    assert_eq!(
        follow_event(&mut ws, &sub).await,
        json!({"event": "operationCallDone", "operationId": op, "output": "0x0506"})
    );
    let op = operation(
        &mut ws,
        "chainHead_v1_call",
        json!([sub, hash, "Nope_nope", "0x"]),
    )
    .await;
    let event = follow_event(&mut ws, &sub).await;
    assert_eq!(event["event"], "operationError", "{event}");
    assert_eq!(event["operationId"], op);
    assert!(event["error"].is_string(), "{event}");
    // Stopping a finished operation has no effect.
    assert_eq!(
        ws.call("chainHead_v1_stopOperation", json!([sub, op]))
            .await,
        Value::Null
    );

    // A block never reported, hashes listed twice, an invalid subscription.
    let unknown = H256([7; 32]).to_hex();
    let error = ws
        .call_err("chainHead_v1_header", json!([sub, unknown]))
        .await;
    assert_eq!(error["code"], -32801, "{error}");
    let error = ws
        .call_err("chainHead_v1_body", json!([sub, unknown]))
        .await;
    assert_eq!(error["code"], -32801, "{error}");
    let error = ws
        .call_err("chainHead_v1_unpin", json!([sub, [hash, hash]]))
        .await;
    assert_eq!(error["code"], -32804, "{error}");
    // All or nothing: one unknown hash unpins none.
    let error = ws
        .call_err("chainHead_v1_unpin", json!([sub, [hash, unknown]]))
        .await;
    assert_eq!(error["code"], -32801, "{error}");
    assert!(ws
        .call("chainHead_v1_header", json!([sub, hash]))
        .await
        .is_string());
    assert_eq!(
        ws.call("chainHead_v1_body", json!(["nope", hash])).await,
        json!({"result": "limitReached"})
    );
    assert_eq!(
        ws.call("chainHead_v1_header", json!(["nope", hash])).await,
        Value::Null
    );
    assert_eq!(
        ws.call("chainHead_v1_unpin", json!(["nope", hash])).await,
        Value::Null
    );

    // Unpin one hash, then a list.
    let genesis = mock.genesis_hash().to_hex();
    assert_eq!(
        ws.call("chainHead_v1_unpin", json!([sub, hash])).await,
        Value::Null
    );
    let error = ws.call_err("chainHead_v1_header", json!([sub, hash])).await;
    assert_eq!(error["code"], -32801, "{error}");
    assert_eq!(
        ws.call("chainHead_v1_unpin", json!([sub, [genesis]])).await,
        Value::Null
    );

    // No runtime calls on a subscription without `withRuntime`; bad parameters are -32602.
    let (plain, _) = follow(&mut ws, false).await;
    let pinned = mock.best_hash().to_hex();
    let error = ws
        .call_err("chainHead_v1_call", json!([plain, pinned, "Echo", "0x"]))
        .await;
    assert_eq!(error["code"], -32802, "{error}");
    let error = ws
        .call_err("chainHead_v1_header", json!([plain, "0x12"]))
        .await;
    assert_eq!(error["code"], -32602, "{error}");
    let error = ws.call_err("chainHead_v1_follow", json!(["yes"])).await;
    assert_eq!(error["code"], -32602, "{error}");
}

#[tokio::test]
async fn chain_head_v1_storage_answers_every_item_kind_and_pages_with_continue() {
    let (mock, server) = start().await;
    let mut ws = Ws::connect(server.local_addr()).await;
    let keys: Vec<Vec<u8>> = (0..100u8)
        .map(|i| [b"d/".as_slice(), &[i]].concat())
        .collect();
    let changes: Vec<(&[u8], Option<&[u8]>)> = keys
        .iter()
        .map(|k| (k.as_slice(), Some(b"x".as_slice())))
        .collect();
    mock.import(&changes, None);
    let (sub, initialized) = follow(&mut ws, false).await;
    let at = initialized["finalizedBlockHashes"][0].clone();

    let op = operation(
        &mut ws,
        "chainHead_v1_storage",
        json!([sub, at, [
            {"key": hex(b"k1"), "type": "value"},
            {"key": hex(b"k2"), "type": "hash"},
            {"key": hex(b"missing"), "type": "value"},
        ], null]),
    )
    .await;
    let mut items = Vec::new();
    loop {
        let event = follow_event(&mut ws, &sub).await;
        assert_eq!(event["operationId"], op);
        match event["event"].as_str().unwrap() {
            "operationStorageItems" => items.extend(event["items"].as_array().unwrap().clone()),
            "operationStorageDone" => break,
            other => panic!("unexpected {other}: {event}"),
        }
    }
    assert_eq!(
        items,
        vec![
            json!({"key": hex(b"k1"), "value": hex(b"v1")}),
            json!({"key": hex(b"k2"), "hash": hex(&blake2_256(b"v2"))}),
        ]
    );

    // 100 descendants: pages of 64, the second only after `chainHead_v1_continue`.
    let op = operation(
        &mut ws,
        "chainHead_v1_storage",
        json!([sub, at, [{"key": hex(b"d/"), "type": "descendantsHashes"}], null]),
    )
    .await;
    let event = follow_event(&mut ws, &sub).await;
    assert_eq!(event["event"], "operationStorageItems", "{event}");
    let mut received = event["items"].as_array().unwrap().clone();
    assert_eq!(received.len(), 64);
    assert_eq!(
        follow_event(&mut ws, &sub).await,
        json!({"event": "operationWaitingForContinue", "operationId": op})
    );
    assert_eq!(
        ws.call("chainHead_v1_continue", json!([sub, op])).await,
        Value::Null
    );
    let event = follow_event(&mut ws, &sub).await;
    assert_eq!(event["event"], "operationStorageItems", "{event}");
    received.extend(event["items"].as_array().unwrap().clone());
    assert_eq!(
        follow_event(&mut ws, &sub).await,
        json!({"event": "operationStorageDone", "operationId": op})
    );
    let expected: Vec<Value> = keys
        .iter()
        .map(|k| json!({"key": hex(k), "hash": hex(&blake2_256(b"x"))}))
        .collect();
    assert_eq!(received, expected);
    // Done: continuing it again is ignored (an unknown operation).
    assert_eq!(
        ws.call("chainHead_v1_continue", json!([sub, op])).await,
        Value::Null
    );

    // A running operation that is not waiting cannot be continued: a storage read held
    // waiting, stopped, leaves nothing behind.
    let op = operation(
        &mut ws,
        "chainHead_v1_storage",
        json!([sub, at, [{"key": hex(b"d/"), "type": "descendantsValues"}], null]),
    )
    .await;
    let event = follow_event(&mut ws, &sub).await;
    assert_eq!(
        event["items"][0],
        json!({"key": hex(&keys[0]), "value": hex(b"x")})
    );
    follow_event(&mut ws, &sub).await; // waiting for continue
    assert_eq!(
        ws.call("chainHead_v1_stopOperation", json!([sub, op]))
            .await,
        Value::Null
    );
    assert_eq!(
        ws.call("chainHead_v1_continue", json!([sub, op])).await,
        Value::Null
    );

    // The mock cannot read trie nodes: the spec's operationError, not a made-up value.
    let op = operation(
        &mut ws,
        "chainHead_v1_storage",
        json!([sub, at, [{"key": hex(b"k"), "type": "closestDescendantMerkleValue"}], null]),
    )
    .await;
    let event = follow_event(&mut ws, &sub).await;
    assert_eq!(event["event"], "operationError", "{event}");
    assert_eq!(event["operationId"], op);
    let error = ws
        .call_err(
            "chainHead_v1_storage",
            json!([sub, at, [{"key": hex(b"k"), "type": "everything"}], null]),
        )
        .await;
    assert_eq!(error["code"], -32602, "{error}");
}

#[tokio::test]
async fn chain_head_v1_limits_follows_pins_and_operations() {
    let (mock, server) = start_with(RpcConfig {
        methods: RpcMethods::Unsafe,
        max_follow_subscriptions_per_connection: 2,
        max_pinned_blocks_per_follow: 3,
        max_operations_per_follow: 2,
        ..RpcConfig::default()
    })
    .await;
    let keys: Vec<Vec<u8>> = (0..100u8)
        .map(|i| [b"d/".as_slice(), &[i]].concat())
        .collect();
    let changes: Vec<(&[u8], Option<&[u8]>)> = keys
        .iter()
        .map(|k| (k.as_slice(), Some(b"x".as_slice())))
        .collect();
    mock.import(&changes, None);
    let mut ws = Ws::connect(server.local_addr()).await;
    let (sub, initialized) = follow(&mut ws, false).await;
    let (_second, _) = follow(&mut ws, false).await;
    let error = ws.call_err("chainHead_v1_follow", json!([false])).await;
    assert_eq!(error["code"], -32800, "{error}");
    // Another connection has its own allowance.
    let mut other = Ws::connect(server.local_addr()).await;
    follow(&mut other, false).await;

    // Two operation slots: a storage call of three items gets two, discards one, and holds
    // both while it waits for continue; a body call finds no slot.
    let at = initialized["finalizedBlockHashes"][0].clone();
    let answer = ws
        .call(
            "chainHead_v1_storage",
            json!([sub, at, [
                {"key": hex(b"d/"), "type": "descendantsValues"},
                {"key": hex(b"k1"), "type": "value"},
                {"key": hex(b"k2"), "type": "value"},
            ], null]),
        )
        .await;
    assert_eq!(answer["result"], "started", "{answer}");
    assert_eq!(answer["discardedItems"], 1, "{answer}");
    assert_eq!(
        ws.call("chainHead_v1_body", json!([sub, at])).await,
        json!({"result": "limitReached"})
    );

    // Three pinned blocks at most: the finalized one plus two new ones; the third is a stop.
    ws.backlog.clear();
    for _ in 0..3 {
        mock.import(&[], None);
    }
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let (_, params) = ws.notification().await;
        if params["subscription"] == sub && params["result"]["event"] == "stop" {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no stop event");
    }
    // Stopped: its slot is free again, and it answers as an invalid subscription.
    assert_eq!(
        ws.call("chainHead_v1_header", json!([sub, at])).await,
        Value::Null
    );
    follow(&mut ws, false).await;
}

#[tokio::test]
async fn archive_v1_storage_streams_items_then_done_and_resumes_from_a_start_key() {
    let (mock, server) = start().await;
    let keys: Vec<Vec<u8>> = (0..100u8)
        .map(|i| [b"d/".as_slice(), &[i]].concat())
        .collect();
    let changes: Vec<(&[u8], Option<&[u8]>)> = keys
        .iter()
        .map(|k| (k.as_slice(), Some(b"x".as_slice())))
        .collect();
    let at = mock.import(&changes, None).hash().to_hex();
    let mut ws = Ws::connect(server.local_addr()).await;

    let read = |events: Vec<Value>| events;
    let sub = ws
        .call(
            "archive_v1_storage",
            json!([at, [
                {"key": hex(b"k1"), "type": "value"},
                {"key": hex(b"k2"), "type": "hash"},
                {"key": hex(b"d/"), "type": "descendantsValues", "paginationStartKey": hex(&keys[97])},
            ], null]),
        )
        .await;
    let mut events = Vec::new();
    loop {
        let (method, params) = ws.notification().await;
        assert_eq!(method, "archive_v1_storageEvent");
        assert_eq!(params["subscription"], sub);
        let done = params["result"]["event"] == "storageDone";
        events.push(params["result"].clone());
        if done {
            break;
        }
    }
    assert_eq!(
        read(events),
        vec![
            json!({"event": "storage", "key": hex(b"k1"), "value": hex(b"v1")}),
            json!({"event": "storage", "key": hex(b"k2"), "hash": hex(&blake2_256(b"v2"))}),
            json!({"event": "storage", "key": hex(&keys[98]), "value": hex(b"x")}),
            json!({"event": "storage", "key": hex(&keys[99]), "value": hex(b"x")}),
            json!({"event": "storageDone"}),
        ]
    );
    // An unknown block is a storageError; stopping answers null.
    let sub = ws
        .call(
            "archive_v1_storage",
            json!([H256([3; 32]).to_hex(), [{"key": hex(b"k1"), "type": "value"}]]),
        )
        .await;
    let (_, params) = ws.notification().await;
    assert_eq!(params["subscription"], sub);
    assert_eq!(params["result"]["event"], "storageError", "{params}");
    assert_eq!(
        ws.call("archive_v1_stopStorage", json!([sub])).await,
        Value::Null
    );
    let error = ws
        .call_err(
            "archive_v1_storage",
            json!([at, [{"key": "0xzz", "type": "value"}]]),
        )
        .await;
    assert_eq!(error["code"], -32602, "{error}");
}
