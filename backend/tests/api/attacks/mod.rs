//! The attack suite: each test performs an attack through the real HTTP API and checks that
//! it fails the way the product intends.

mod bombs;
mod hashing;
