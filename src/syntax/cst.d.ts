// Generated from src/syntax/parser.ts by `npm run grammar`. Do not edit by hand.
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface ProgramCstNode extends CstNode {
  name: "program";
  children: ProgramCstChildren;
}

export type ProgramCstChildren = {
  declaration?: DeclarationCstNode[];
};

export interface DeclarationCstNode extends CstNode {
  name: "declaration";
  children: DeclarationCstChildren;
}

export type DeclarationCstChildren = {
  importDecl?: ImportDeclCstNode[];
  engineDecl?: EngineDeclCstNode[];
  variableDecl?: VariableDeclCstNode[];
  dataDecl?: DataDeclCstNode[];
  splitDecl?: SplitDeclCstNode[];
  corpusDecl?: CorpusDeclCstNode[];
  fnDecl?: FnDeclCstNode[];
  externFnDecl?: ExternFnDeclCstNode[];
  lossDecl?: LossDeclCstNode[];
  optimizeDecl?: OptimizeDeclCstNode[];
};

export interface ImportDeclCstNode extends CstNode {
  name: "importDecl";
  children: ImportDeclCstChildren;
}

export type ImportDeclCstChildren = {
  Import: IToken[];
  LBrace: IToken[];
  Identifier: (IToken)[];
  Comma?: IToken[];
  RBrace: IToken[];
  From: IToken[];
  StringToken: IToken[];
};

export interface EngineDeclCstNode extends CstNode {
  name: "engineDecl";
  children: EngineDeclCstChildren;
}

export type EngineDeclCstChildren = {
  Engine: IToken[];
  Identifier: (IToken)[];
  Equals: IToken[];
  argList: ArgListCstNode[];
  entryBlock?: EntryBlockCstNode[];
};

export interface VariableDeclCstNode extends CstNode {
  name: "variableDecl";
  children: VariableDeclCstChildren;
}

export type VariableDeclCstChildren = {
  Trainable?: IToken[];
  Frozen?: IToken[];
  Identifier: IToken[];
  paramList?: ParamListCstNode[];
  Colon: IToken[];
  StringToken: IToken[];
  Equals: IToken[];
  expression: ExpressionCstNode[];
};

export interface DataDeclCstNode extends CstNode {
  name: "dataDecl";
  children: DataDeclCstChildren;
}

export type DataDeclCstChildren = {
  Data: IToken[];
  Identifier: (IToken)[];
  Equals: IToken[];
  argList: ArgListCstNode[];
  fieldBlock?: FieldBlockCstNode[];
};

export interface CorpusDeclCstNode extends CstNode {
  name: "corpusDecl";
  children: CorpusDeclCstChildren;
}

export type CorpusDeclCstChildren = {
  Corpus: IToken[];
  Identifier: (IToken)[];
  Equals: IToken[];
  argList: ArgListCstNode[];
  entryBlock?: EntryBlockCstNode[];
};

export interface SplitDeclCstNode extends CstNode {
  name: "splitDecl";
  children: SplitDeclCstChildren;
}

export type SplitDeclCstChildren = {
  Split: IToken[];
  Identifier: IToken[];
  entryBlock: EntryBlockCstNode[];
};

export interface FieldBlockCstNode extends CstNode {
  name: "fieldBlock";
  children: FieldBlockCstChildren;
}

export type FieldBlockCstChildren = {
  LBrace: IToken[];
  field?: FieldCstNode[];
  Comma?: IToken[];
  RBrace: IToken[];
};

export interface FieldCstNode extends CstNode {
  name: "field";
  children: FieldCstChildren;
}

export type FieldCstChildren = {
  AnyName: IToken[];
  Colon: IToken[];
  typeRef: TypeRefCstNode[];
  From?: IToken[];
  StringToken?: IToken[];
};

export interface FnDeclCstNode extends CstNode {
  name: "fnDecl";
  children: FnDeclCstChildren;
}

export type FnDeclCstChildren = {
  Fn: IToken[];
  Identifier: IToken[];
  paramList: ParamListCstNode[];
  Arrow?: IToken[];
  typeRef?: TypeRefCstNode[];
  StringToken?: IToken[];
  LBrace: IToken[];
  letBinding?: LetBindingCstNode[];
  expression: ExpressionCstNode[];
  RBrace: IToken[];
};

export interface LetBindingCstNode extends CstNode {
  name: "letBinding";
  children: LetBindingCstChildren;
}

export type LetBindingCstChildren = {
  Let: IToken[];
  Identifier: IToken[];
  Equals: IToken[];
  expression: ExpressionCstNode[];
  Semicolon?: IToken[];
};

export interface ExternFnDeclCstNode extends CstNode {
  name: "externFnDecl";
  children: ExternFnDeclCstChildren;
}

export type ExternFnDeclCstChildren = {
  Extern: IToken[];
  Fn: IToken[];
  Identifier: IToken[];
  paramList: ParamListCstNode[];
  Arrow: IToken[];
  typeRef: TypeRefCstNode[];
  StringToken?: IToken[];
};

export interface LossDeclCstNode extends CstNode {
  name: "lossDecl";
  children: LossDeclCstChildren;
}

export type LossDeclCstChildren = {
  Loss: IToken[];
  Identifier: IToken[];
  paramList?: ParamListCstNode[];
  Equals: IToken[];
  expression: ExpressionCstNode[];
};

export interface OptimizeDeclCstNode extends CstNode {
  name: "optimizeDecl";
  children: OptimizeDeclCstChildren;
}

export type OptimizeDeclCstChildren = {
  Optimize: IToken[];
  Identifier: (IToken)[];
  Comma?: (IToken)[];
  Using: IToken[];
  namedArgList: NamedArgListCstNode[];
  LBrace: IToken[];
  validateEntry?: ValidateEntryCstNode[];
  entry?: EntryCstNode[];
  RBrace: IToken[];
};

export interface ValidateEntryCstNode extends CstNode {
  name: "validateEntry";
  children: ValidateEntryCstChildren;
}

export type ValidateEntryCstChildren = {
  Validate: IToken[];
  Colon: IToken[];
  Identifier: (IToken)[];
  By: IToken[];
  expression: ExpressionCstNode[];
  Comma?: IToken[];
  Keep?: IToken[];
};

export interface ParamListCstNode extends CstNode {
  name: "paramList";
  children: ParamListCstChildren;
}

export type ParamListCstChildren = {
  LParen: IToken[];
  param?: (ParamCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface ParamCstNode extends CstNode {
  name: "param";
  children: ParamCstChildren;
}

export type ParamCstChildren = {
  Identifier: IToken[];
  Colon?: IToken[];
  typeRef?: TypeRefCstNode[];
};

export interface TypeRefCstNode extends CstNode {
  name: "typeRef";
  children: TypeRefCstChildren;
}

export type TypeRefCstChildren = {
  AnyName: IToken[];
};

export interface EntryBlockCstNode extends CstNode {
  name: "entryBlock";
  children: EntryBlockCstChildren;
}

export type EntryBlockCstChildren = {
  LBrace: IToken[];
  entry?: EntryCstNode[];
  Comma?: IToken[];
  RBrace: IToken[];
};

export interface EntryCstNode extends CstNode {
  name: "entry";
  children: EntryCstChildren;
}

export type EntryCstChildren = {
  AnyName: IToken[];
  Colon: IToken[];
  expression: ExpressionCstNode[];
};

export interface ArgListCstNode extends CstNode {
  name: "argList";
  children: ArgListCstChildren;
}

export type ArgListCstChildren = {
  LParen: IToken[];
  expressionList?: ExpressionListCstNode[];
  RParen: IToken[];
};

export interface NamedArgListCstNode extends CstNode {
  name: "namedArgList";
  children: NamedArgListCstChildren;
}

export type NamedArgListCstChildren = {
  LParen: IToken[];
  entry?: EntryCstNode[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface ExpressionListCstNode extends CstNode {
  name: "expressionList";
  children: ExpressionListCstChildren;
}

export type ExpressionListCstChildren = {
  expression: (ExpressionCstNode)[];
  Comma?: (IToken)[];
};

export interface ExpressionCstNode extends CstNode {
  name: "expression";
  children: ExpressionCstChildren;
}

export type ExpressionCstChildren = {
  chain: (ChainCstNode)[];
  Unless?: IToken[];
};

export interface ChainCstNode extends CstNode {
  name: "chain";
  children: ChainCstChildren;
}

export type ChainCstChildren = {
  primary: (PrimaryCstNode)[];
  Dot?: (IToken)[];
  AnyName?: (IToken)[];
  Plus?: IToken[];
  Star?: IToken[];
};

export interface PrimaryCstNode extends CstNode {
  name: "primary";
  children: PrimaryCstChildren;
}

export type PrimaryCstChildren = {
  StringToken?: IToken[];
  Minus?: IToken[];
  NumberLiteral?: IToken[];
  True?: IToken[];
  False?: IToken[];
  listExpr?: ListExprCstNode[];
  parenExpr?: ParenExprCstNode[];
  llmCall?: LlmCallCstNode[];
  agentCall?: AgentCallCstNode[];
  retrieveExpr?: RetrieveExprCstNode[];
  rubricExpr?: RubricExprCstNode[];
  Identifier?: IToken[];
  argList?: ArgListCstNode[];
};

export interface ListExprCstNode extends CstNode {
  name: "listExpr";
  children: ListExprCstChildren;
}

export type ListExprCstChildren = {
  LBracket: IToken[];
  expressionList?: ExpressionListCstNode[];
  RBracket: IToken[];
};

export interface ParenExprCstNode extends CstNode {
  name: "parenExpr";
  children: ParenExprCstChildren;
}

export type ParenExprCstChildren = {
  LParen: IToken[];
  expression: ExpressionCstNode[];
  RParen: IToken[];
};

export interface LlmCallCstNode extends CstNode {
  name: "llmCall";
  children: LlmCallCstChildren;
}

export type LlmCallCstChildren = {
  Call: IToken[];
  Identifier: IToken[];
  entryBlock: EntryBlockCstNode[];
};

export interface AgentCallCstNode extends CstNode {
  name: "agentCall";
  children: AgentCallCstChildren;
}

export type AgentCallCstChildren = {
  Agent: IToken[];
  Identifier: IToken[];
  entryBlock: EntryBlockCstNode[];
};

export interface RetrieveExprCstNode extends CstNode {
  name: "retrieveExpr";
  children: RetrieveExprCstChildren;
}

export type RetrieveExprCstChildren = {
  Retrieve: IToken[];
  LParen: IToken[];
  Identifier: IToken[];
  Comma: (IToken)[];
  expression: (ExpressionCstNode)[];
  RParen: IToken[];
};

export interface RubricExprCstNode extends CstNode {
  name: "rubricExpr";
  children: RubricExprCstChildren;
}

export type RubricExprCstChildren = {
  Rubric: IToken[];
  Identifier: IToken[];
  On: IToken[];
  labeledGroup: (LabeledGroupCstNode)[];
  Given?: IToken[];
  StringToken: IToken[];
};

export interface LabeledGroupCstNode extends CstNode {
  name: "labeledGroup";
  children: LabeledGroupCstChildren;
}

export type LabeledGroupCstChildren = {
  LBrace?: IToken[];
  entry?: EntryCstNode[];
  Comma?: (IToken)[];
  RBrace?: IToken[];
  chain?: (ChainCstNode)[];
};
