//! The request-response codec of every Folio protocol: one SCALE message per stream
//! direction, prefixed by its length as a `u32` (little-endian), with a size limit per
//! direction checked before anything is allocated.
//!
//! A message that does not decode, has trailing bytes or exceeds its limit is the remote's
//! misbehaviour. A bad *request* arrives as [`Decoded::Bad`] (libp2p's request-response
//! only logs a request that fails to read, so the loop would never learn who sent it); a bad
//! *response* fails with [`std::io::ErrorKind::InvalidData`], which the loop sees as an
//! outbound failure. Other I/O errors are the network's, not the peer's fault.

use futures::prelude::*;
use libp2p::StreamProtocol;
use parity_scale_codec::{Decode, Encode};
use std::io;
use std::marker::PhantomData;

/// SCALE request `Req`, SCALE response `Resp`, each at most its limit in bytes.
pub struct ScaleCodec<Req, Resp> {
    max_request: usize,
    max_response: usize,
    _types: PhantomData<fn() -> (Req, Resp)>,
}

impl<Req, Resp> ScaleCodec<Req, Resp> {
    pub fn new(max_request: usize, max_response: usize) -> Self {
        Self {
            max_request,
            max_response,
            _types: PhantomData,
        }
    }
}

impl<Req, Resp> Clone for ScaleCodec<Req, Resp> {
    fn clone(&self) -> Self {
        Self::new(self.max_request, self.max_response)
    }
}

/// A request as read from a peer: the message, or why it was not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded<T> {
    Ok(T),
    Bad(String),
}

/// Whether an I/O error is a peer's bad message (as opposed to a broken connection).
pub fn is_bad_message(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::InvalidData
}

fn invalid(reason: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, reason.into())
}

async fn read_message<T, M>(io: &mut T, limit: usize) -> io::Result<M>
where
    T: AsyncRead + Unpin + Send,
    M: Decode,
{
    let mut prefix = [0u8; 4];
    io.read_exact(&mut prefix).await?;
    let length = usize::try_from(u32::from_le_bytes(prefix)).map_err(|_| invalid("length"))?;
    if length > limit {
        return Err(invalid(format!(
            "message of {length} bytes exceeds the limit of {limit}"
        )));
    }
    let mut bytes = vec![0u8; length];
    io.read_exact(&mut bytes).await?;
    let mut input = &bytes[..];
    let message = M::decode(&mut input).map_err(|e| invalid(format!("undecodable: {e}")))?;
    if !input.is_empty() {
        return Err(invalid("trailing bytes after the message"));
    }
    Ok(message)
}

/// Writes an encoded message (encoded before any await, so the message itself need not be
/// `Sync`).
async fn write_message<T>(io: &mut T, bytes: Vec<u8>, limit: usize) -> io::Result<()>
where
    T: AsyncWrite + Unpin + Send,
{
    if bytes.len() > limit {
        // Our own bug, not the peer's: refuse to send rather than be disconnected for it.
        return Err(io::Error::other(format!(
            "outgoing message of {} bytes exceeds the limit of {limit}",
            bytes.len()
        )));
    }
    let length = u32::try_from(bytes.len()).map_err(io::Error::other)?;
    io.write_all(&length.to_le_bytes()).await?;
    io.write_all(&bytes).await?;
    io.close().await
}

impl<Req, Resp> libp2p::request_response::Codec for ScaleCodec<Req, Resp>
where
    Req: Encode + Decode + Send + 'static,
    Resp: Encode + Decode + Send + 'static,
{
    type Protocol = StreamProtocol;
    type Request = Decoded<Req>;
    type Response = Resp;

    async fn read_request<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Decoded<Req>>
    where
        T: AsyncRead + Unpin + Send,
    {
        match read_message(io, self.max_request).await {
            Ok(request) => Ok(Decoded::Ok(request)),
            Err(error) if is_bad_message(&error) => Ok(Decoded::Bad(error.to_string())),
            Err(error) => Err(error),
        }
    }

    async fn read_response<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Resp>
    where
        T: AsyncRead + Unpin + Send,
    {
        read_message(io, self.max_response).await
    }

    async fn write_request<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        req: Decoded<Req>,
    ) -> io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        match req {
            Decoded::Ok(req) => write_message(io, req.encode(), self.max_request).await,
            Decoded::Bad(_) => Err(io::Error::other("not a request")),
        }
    }

    async fn write_response<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        res: Resp,
    ) -> io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        write_message(io, res.encode(), self.max_response).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_oversized_messages_are_bad_messages() {
        futures::executor::block_on(async {
            // Length 3, but the body is not a u32.
            let mut garbage = futures::io::Cursor::new(vec![3, 0, 0, 0, 1, 2, 3]);
            let error = read_message::<_, u32>(&mut garbage, 100).await.unwrap_err();
            assert!(is_bad_message(&error), "{error}");

            let mut huge = futures::io::Cursor::new(vec![0xff, 0xff, 0xff, 0x7f]);
            let error = read_message::<_, u32>(&mut huge, 100).await.unwrap_err();
            assert!(is_bad_message(&error), "{error}");

            let mut fine = futures::io::Cursor::new(vec![4, 0, 0, 0, 9, 0, 0, 0]);
            assert_eq!(read_message::<_, u32>(&mut fine, 100).await.unwrap(), 9);
        });
    }
}
