package io.gatehouse.server.cli;

import picocli.CommandLine.Command;

/** {@code gatehouse user COMMAND}: the users who log in to the JDBC endpoint. */
@Command(
    name = "user",
    separator = " ",
    description = "Manage the users who log in over JDBC: 'user add NAME' hashes a new user's password.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {UserAddCommand.class})
final class UserCommand extends CommandGroup {}
