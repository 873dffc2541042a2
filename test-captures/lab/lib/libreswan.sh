# shellcheck shell=bash
ls_start() { die "libreswan not yet"; }
