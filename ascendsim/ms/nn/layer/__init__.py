"""``mindspore.nn`` layers."""
