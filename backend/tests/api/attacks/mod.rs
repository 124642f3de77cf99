//! The attack suite (issue 11): each test performs an attack through the real HTTP API and
//! checks it fails the way the product intends.

mod proxy;
mod throttles;
