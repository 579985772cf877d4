//! The template scanner (being written).
