package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
)

func newConfigCmd() *cobra.Command {
	cfgCmd := &cobra.Command{Use: "config", Short: "Work with experiment configs"}
	var sets []string
	var show bool
	verify := &cobra.Command{
		Use:     "verify CONFIG",
		Short:   "Check a config: strict keys, types and values; print the resolved config with --show",
		Example: "  vigil config verify experiments/configs/sea_fast.yaml --set train.epochs=2 --show",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(args, sets)
			if err != nil {
				return err
			}
			if show {
				b, err := json.MarshalIndent(cfg, "", "  ")
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), string(b))
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok (%s)\n", args[0], cfg.Name)
			return nil
		},
	}
	verify.Flags().StringArrayVar(&sets, "set", nil, "override a config key (key=value)")
	verify.Flags().BoolVar(&show, "show", false, "print the resolved config as JSON")
	cfgCmd.AddCommand(verify)
	return cfgCmd
}
