/** The engine of pig: nothing here knows about the command line or about any one module. */
package dev.pig.core;
