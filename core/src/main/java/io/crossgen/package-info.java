/**
 * crossgen: build xCAT stateless images on a builder node of another architecture or OS.
 *
 * <p>Packages: {@code image} (osimage definitions and their codecs), {@code command} (argv values and their
 * safe shell rendering, genimage and packimage), {@code transport} (the SPI hosts are reached through),
 * {@code pipeline} (steps, plans, runs, reports), {@code build} (the cross-build procedure) and
 * {@code testing} (a scripted transport for users' unit tests).
 */
package io.crossgen;
