//! Ed25519 keys for signing bundles: generation, the key files, signing and checking.
//!
//! Key files are text, one PEM-like block each, the key as 64 lower-case hex digits:
//! ```text
//! -----BEGIN CPCERT ED25519 PRIVATE KEY-----
//! 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60
//! -----END CPCERT ED25519 PRIVATE KEY-----
//! ```
//! (`PUBLIC KEY` for the public half, written beside the private key as `KEY.pub`). The private
//! key is the 32-byte Ed25519 seed (RFC 8032).

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::EvidenceError;

const PRIVATE: &str = "CPCERT ED25519 PRIVATE KEY";
const PUBLIC: &str = "CPCERT ED25519 PUBLIC KEY";

/// A signing key (private).
pub struct PrivateKey(SigningKey);

/// A public key: what a certifying body keeps to know who submitted a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

/// `signature.json`: an Ed25519 signature over the bytes of `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SignatureFile {
    /// Always `ed25519`.
    pub algorithm: String,
    /// The entry signed: always `manifest.json`.
    pub signed: String,
    /// The signer's public key, hex.
    pub public_key: String,
    /// The signature, hex.
    pub signature: String,
}

impl PrivateKey {
    /// A fresh key from the operating system's random source.
    ///
    /// # Errors
    /// No random source.
    pub fn generate() -> Result<PrivateKey, EvidenceError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)
            .map_err(|e| EvidenceError::Key(format!("no random source: {e}")))?;
        Ok(PrivateKey(SigningKey::from_bytes(&seed)))
    }

    /// The key file's text.
    pub fn to_text(&self) -> String {
        block(PRIVATE, &self.0.to_bytes())
    }

    /// Reads a private key file's text.
    ///
    /// # Errors
    /// Not a private key block of 64 hex digits.
    pub fn from_text(text: &str) -> Result<PrivateKey, EvidenceError> {
        Ok(PrivateKey(SigningKey::from_bytes(&unblock(PRIVATE, text)?)))
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// Signs `bytes` (the manifest).
    pub fn sign(&self, bytes: &[u8]) -> SignatureFile {
        self.sign_named(bytes, crate::manifest::MANIFEST)
    }

    /// Signs `bytes`, the file `signed` (a published listing.json).
    pub fn sign_named(&self, bytes: &[u8], signed: &str) -> SignatureFile {
        SignatureFile {
            algorithm: "ed25519".to_owned(),
            signed: signed.to_owned(),
            public_key: self.public().to_hex(),
            signature: hex(&self.0.sign(bytes).to_bytes()),
        }
    }
}

impl PublicKey {
    /// The key file's text.
    pub fn to_text(&self) -> String {
        block(PUBLIC, self.0.as_bytes())
    }

    /// Reads a public key file's text.
    ///
    /// # Errors
    /// Not a public key block of a valid Ed25519 point.
    pub fn from_text(text: &str) -> Result<PublicKey, EvidenceError> {
        PublicKey::from_bytes(&unblock(PUBLIC, text)?)
    }

    fn from_bytes(bytes: &[u8; 32]) -> Result<PublicKey, EvidenceError> {
        VerifyingKey::from_bytes(bytes)
            .map(PublicKey)
            .map_err(|e| EvidenceError::Key(format!("not an Ed25519 public key: {e}")))
    }

    /// Hex of the 32 key bytes.
    pub fn to_hex(&self) -> String {
        hex(self.0.as_bytes())
    }

    /// Parses 64 hex digits.
    ///
    /// # Errors
    /// Not 64 hex digits of a valid key.
    pub fn from_hex(text: &str) -> Result<PublicKey, EvidenceError> {
        PublicKey::from_bytes(&unhex::<32>(text)?)
    }

    /// Whether `sig` is this key's signature over `bytes` (strict RFC 8032 checking).
    pub fn check(&self, bytes: &[u8], sig: &SignatureFile) -> bool {
        let Ok(raw) = unhex::<64>(&sig.signature) else {
            return false;
        };
        sig.algorithm == "ed25519"
            && self
                .0
                .verify_strict(bytes, &Signature::from_bytes(&raw))
                .is_ok()
    }
}

fn block(label: &str, bytes: &[u8]) -> String {
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        hex(bytes)
    )
}

fn unblock(label: &str, text: &str) -> Result<[u8; 32], EvidenceError> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    match lines.as_slice() {
        [b, body, e] if *b == begin && *e == end => unhex::<32>(body),
        _ => Err(EvidenceError::Key(format!(
            "not a {label} file: expected `{begin}`, 64 hex digits, `{end}`"
        ))),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(text: &str) -> Result<[u8; N], EvidenceError> {
    let text = text.trim();
    let bad = || EvidenceError::Key(format!("expected {} hex digits", N * 2));
    if text.len() != N * 2 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).map_err(|_| bad())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_sign() {
        let key = PrivateKey::generate().unwrap();
        let again = PrivateKey::from_text(&key.to_text()).unwrap();
        let public = PublicKey::from_text(&again.public().to_text()).unwrap();
        assert_eq!(public, key.public());
        let sig = key.sign(b"manifest");
        assert!(public.check(b"manifest", &sig));
        assert!(!public.check(b"manifest!", &sig));
        let other = PrivateKey::generate().unwrap().public();
        assert!(!other.check(b"manifest", &sig));
        assert!(PrivateKey::from_text(&public.to_text()).is_err());
    }
}
