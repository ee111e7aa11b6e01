//! The allocator the `homeward` binary uses, so that the figures are the binary's.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
