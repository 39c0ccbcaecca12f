//! Origin checks for browsers (`--rpc-cors`), as an HTTP middleware in front of jsonrpsee.
//!
//! Requests without an `Origin` header (subxt, polkadot-js under Node, curl) pass untouched.
//! A browser request from an allowed origin gets `Access-Control-Allow-Origin`; a preflight
//! (`OPTIONS`) is answered here; any other origin gets HTTP 403, for plain HTTP and for the
//! WebSocket upgrade alike, so a random web page cannot drive a local node.

use jsonrpsee::core::BoxError;
use jsonrpsee::server::{HttpBody, HttpRequest, HttpResponse};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// One allowed origin; `port_wildcard` for entries written `scheme://host:*`.
#[derive(Debug, Clone)]
struct OriginPattern {
    base: String,
    port_wildcard: bool,
}

impl OriginPattern {
    fn parse(entry: &str) -> Self {
        match entry.strip_suffix(":*") {
            Some(base) => Self {
                base: base.to_ascii_lowercase(),
                port_wildcard: true,
            },
            None => Self {
                base: entry.to_ascii_lowercase(),
                port_wildcard: false,
            },
        }
    }

    fn matches(&self, origin: &str) -> bool {
        if origin == self.base {
            return true;
        }
        if !self.port_wildcard {
            return false;
        }
        origin
            .strip_prefix(self.base.as_str())
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// The tower layer: `None` allows every origin.
#[derive(Debug, Clone)]
pub struct CorsLayer {
    allowed: Option<Arc<Vec<OriginPattern>>>,
}

impl CorsLayer {
    /// `None`, or a list containing `"all"` (Substrate's `--rpc-cors all`), allows every origin.
    pub fn new(allowed: Option<&[String]>) -> Self {
        let allowed = allowed
            .filter(|list| !list.iter().any(|entry| entry == "all"))
            .map(|list| {
                Arc::new(
                    list.iter()
                        .map(|entry| OriginPattern::parse(entry))
                        .collect(),
                )
            });
        Self { allowed }
    }

    fn allows(&self, origin: &str) -> bool {
        match &self.allowed {
            None => true,
            Some(list) => {
                let origin = origin.to_ascii_lowercase();
                list.iter().any(|pattern| pattern.matches(&origin))
            }
        }
    }
}

impl<S> tower::Layer<S> for CorsLayer {
    type Service = Cors<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Cors {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`CorsLayer`] wraps around jsonrpsee.
#[derive(Debug, Clone)]
pub struct Cors<S> {
    inner: S,
    layer: CorsLayer,
}

type ResponseFuture = Pin<Box<dyn Future<Output = Result<HttpResponse, BoxError>> + Send>>;

fn plain(status: u16, body: &'static str) -> HttpResponse {
    let mut response = HttpResponse::new(HttpBody::from(body));
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::FORBIDDEN);
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain"),
    );
    response
}

fn add_cors_headers(response: &mut HttpResponse, origin: &http::HeaderValue) {
    let headers = response.headers_mut();
    headers.insert(http::header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    headers.insert(http::header::VARY, http::HeaderValue::from_static("origin"));
}

impl<S> tower::Service<HttpRequest> for Cors<S>
where
    S: tower::Service<HttpRequest, Response = HttpResponse, Error = BoxError>,
    S::Future: Send + 'static,
{
    type Response = HttpResponse;
    type Error = BoxError;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: HttpRequest) -> Self::Future {
        let Some(origin) = request.headers().get(http::header::ORIGIN).cloned() else {
            return Box::pin(self.inner.call(request));
        };
        let allowed = origin.to_str().is_ok_and(|text| self.layer.allows(text));
        if !allowed {
            tracing::debug!(target: crate::module::LOG_TARGET, ?origin, "origin not allowed by --rpc-cors");
            return Box::pin(std::future::ready(Ok(plain(403, "Origin not allowed.\n"))));
        }
        if request.method() == http::Method::OPTIONS {
            let mut response = plain(200, "");
            add_cors_headers(&mut response, &origin);
            let headers = response.headers_mut();
            headers.insert(
                http::header::ACCESS_CONTROL_ALLOW_METHODS,
                http::HeaderValue::from_static("POST, GET, OPTIONS"),
            );
            headers.insert(
                http::header::ACCESS_CONTROL_ALLOW_HEADERS,
                http::HeaderValue::from_static("content-type"),
            );
            headers.insert(
                http::header::ACCESS_CONTROL_MAX_AGE,
                http::HeaderValue::from_static("3600"),
            );
            return Box::pin(std::future::ready(Ok(response)));
        }
        let future = self.inner.call(request);
        Box::pin(async move {
            let mut response = future.await?;
            add_cors_headers(&mut response, &origin);
            Ok(response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_wildcards_match_any_port_only() {
        let layer = CorsLayer::new(Some(&crate::RpcConfig::default_cors()));
        assert!(layer.allows("http://localhost:3000"));
        assert!(layer.allows("http://127.0.0.1:9944"));
        assert!(layer.allows("https://polkadot.js.org"));
        assert!(layer.allows("http://localhost"));
        assert!(!layer.allows("http://localhost:3000.evil.com"));
        assert!(!layer.allows("http://localhost.evil.com"));
        assert!(!layer.allows("https://evil.com"));
        assert!(CorsLayer::new(None).allows("https://evil.com"));
    }
}
