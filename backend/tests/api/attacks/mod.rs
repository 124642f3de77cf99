//! The attack suite of the security review (issue 11): each test performs an attack through
//! the real HTTP API and checks that it fails the way the product intends.

mod scope;
mod smaller;
