//! The attack suite of the security review: each test performs an attack through the real HTTP
//! API and checks that it fails the way the product intends.

mod bodies;
mod bombs;
mod hashing;
mod keys;
mod proxy;
mod scope;
mod smaller;
mod takeover;
mod throttles;
