/**
 * The implementation {@code org.crac} finds when {@code
 * -Dorg.crac.Core.Compat=dev.cryo.runtime.crac} (the agent sets it). {@code org.crac} looks these
 * classes up by name, reflectively: their names and public signatures are the contract, and must
 * not change.
 */
package dev.cryo.runtime.crac;
